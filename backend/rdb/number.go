package rdb

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// maxIntLen is the longest string Redis tries to read as a 64-bit integer
// ("-9223372036854775808" has 20 bytes).
const maxIntLen = 20

// parseInt reports whether s is the canonical decimal form of an int64, the
// way Redis's string2ll and lpStringToInt64 decide it: no sign other than a
// leading '-', no leading zeros, no "-0", no spaces, no overflow. Only such
// strings are stored as integers, because only they convert back to the
// same bytes.
func parseInt(s []byte) (int64, bool) {
	n := len(s)
	if n == 0 || n > maxIntLen {
		return 0, false
	}
	if n == 1 && s[0] == '0' {
		return 0, true
	}
	neg := s[0] == '-'
	i := 0
	if neg {
		i = 1
		if n == 1 {
			return 0, false
		}
	}
	if s[i] < '1' || s[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < n; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true // -(1<<63) wraps to MinInt64, as intended
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// scoreAsInt reports whether a sorted-set score is stored in a listpack as
// an integer entry: Redis 7.0 does so for integral scores within ±2^62
// (its double2ll range), -0 included, and writes every other score as text.
func scoreAsInt(f float64) (int64, bool) {
	const lim = 1 << 62
	if f >= -lim && f <= lim && f == math.Trunc(f) {
		return int64(f), true
	}
	return 0, false
}

// appendScoreText appends a score the way Redis's d2string prints a
// non-integral or very large score: "inf", "-inf", or C's "%.17g".
func appendScoreText(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	return appendG17(dst, f)
}

// appendG17 appends f formatted like C's printf("%.17g"): 17 significant
// digits, trailing zeros removed, exponent form when the decimal exponent
// is below -4 or at least 17.
func appendG17(dst []byte, f float64) []byte {
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', 16, 64)
	// e is [-]d.dddddddddddddddde±XX[X]; the rounding already happened.
	mark := len(e) - 1
	for e[mark] != 'e' {
		mark--
	}
	exp := 0
	for _, c := range e[mark+2:] {
		exp = exp*10 + int(c-'0')
	}
	if e[mark+1] == '-' {
		exp = -exp
	}
	if exp < -4 || exp >= 17 {
		mant := trimFraction(e[:mark])
		dst = append(dst, mant...)
		return append(dst, e[mark:]...)
	}
	fixed := strconv.AppendFloat(buf[:0], f, 'f', 16-exp, 64)
	return append(dst, trimFraction(fixed)...)
}

// trimFraction removes trailing zeros after a decimal point, and the point
// itself if nothing remains after it.
func trimFraction(s []byte) []byte {
	if bytes.IndexByte(s, '.') < 0 {
		return s
	}
	i := len(s)
	for s[i-1] == '0' {
		i--
	}
	if s[i-1] == '.' {
		i--
	}
	return s[:i]
}

// parseScore parses a score stored as text, as strtod would for the forms
// Redis writes: decimal and exponent notation, inf, -inf (and nan, which
// callers reject). Leading blanks are skipped like strtod does; anything
// else that is not a number is an error.
func parseScore(s []byte) (float64, bool) {
	t := strings.TrimLeft(string(s), " \t\n\v\f\r")
	if t == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		// Out of range values round to ±Inf or 0, as strtod's do.
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return f, true
}
