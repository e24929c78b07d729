package router

import "math"

// Redis compares and parses many arguments as C strings: strcasecmp and
// atoi stop at the first NUL byte, and %s in an error message prints only
// up to it. These helpers reproduce that, so that an argument such as
// "store\x00junk" means to us what it means to Redis.

// cstr returns b up to its first NUL byte.
func cstr(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// cstrLen is strlen(b).
func cstrLen(b []byte) int { return len(cstr(b)) }

// cstrEqualFold is strcasecmp(b, s) == 0 in the C locale. s is a literal
// without NUL bytes.
func cstrEqualFold(b []byte, s string) bool {
	b = cstr(b)
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// atoi is glibc's atoi: (int)strtol(s, NULL, 10). Leading white space and
// a sign are accepted, parsing stops at the first non-digit, an overflow
// saturates at the 64-bit limits, and the result is truncated to 32 bits.
func atoi(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var v uint64
	overflow := false
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if v > (math.MaxUint64-9)/10 {
			overflow = true
			continue
		}
		v = v*10 + uint64(b[i]-'0')
	}
	var n int64
	switch {
	case neg && (overflow || v > 1<<63):
		n = math.MinInt64
	case neg:
		n = -int64(v)
	case overflow || v > math.MaxInt64:
		n = math.MaxInt64
	default:
		n = int64(v)
	}
	return int(int32(n))
}

// string2ll is Redis's strict string2ll: an optional '-', then digits
// without leading zeros ("0" alone is fine), fewer than 21 bytes, within
// int64.
func string2ll(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) >= 21 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := false
	p := b
	if p[0] == '-' {
		neg = true
		p = p[1:]
		if len(p) == 0 {
			return 0, false
		}
	}
	if p[0] < '1' || p[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range p {
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v *= 10
		if v > math.MaxUint64-uint64(c-'0') {
			return 0, false
		}
		v += uint64(c - '0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}
