package backend

import (
	"math"
	"strconv"
)

// parseInt reads an integer as Redis's string2ll does: optional '-', no
// '+', no spaces, no leading zeros, within int64.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	d := b
	if neg {
		d = b[1:]
	}
	if len(d) == 0 || d[0] < '1' || d[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
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

// intArg parses an integer argument or replies Redis's generic error.
func (x *Ctx) intArg(b []byte) (int64, bool) {
	v, ok := parseInt(b)
	if !ok {
		x.W.AppendError(errNotInt)
	}
	return v, ok
}

// isStrtodNumber reports whether b has the form C's strtod accepts in
// full, where Go's ParseFloat is more lenient (underscores) and Redis
// stricter (no leading space).
func isStrtodNumber(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9', c == '.', c == '+', c == '-':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		default:
			return false
		}
	}
	return true
}

// parseFloat reads a double as Redis's getDoubleFromObject does (strtod,
// the whole string, no NaN, no overflow).
func parseFloat(b []byte) (float64, bool) {
	if !isStrtodNumber(b) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// formatFloat writes a double as Redis's addReplyDouble does in RESP2 and
// as it stores scores: %.17g, with inf and -inf spelled so.
func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}
