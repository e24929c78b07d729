package config

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// ParseBool reads a boolean the way redis.conf spells it, "yes" or "no", and
// also accepts "true" and "false", ignoring case. Anything else, including
// "1", "0" and "on", is an error: Redis rejects those too, and a typo should
// not silently mean false.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "yes", "true":
		return true, nil
	case "no", "false":
		return false, nil
	}
	return false, errors.New(MsgYesNo)
}

// FormatBool spells b as redis.conf does: "yes" or "no".
func FormatBool(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// ByteSize is a number of bytes that configuration files and flags may write
// with Redis's units: b, k (1000), kb (1024), m (1000²), mb (1024²),
// g (1000³) and gb (1024³), case-insensitive, e.g. "512mb".
type ByteSize int64

// Common sizes.
const (
	KB ByteSize = 1 << 10
	MB ByteSize = 1 << 20
	GB ByteSize = 1 << 30
)

// ParseByteSize reads s as Redis's memtoull does: decimal digits followed by
// an optional unit. Signs, fractions, spaces and unknown units are rejected,
// as Redis rejects them; unlike Redis, a value that overflows int64 is an
// error rather than a wrapped number, and a unit without digits is an error
// rather than zero.
func ParseByteSize(s string) (ByteSize, error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits, unit := s[:i], s[i:]
	if digits == "" {
		return 0, errors.New(MsgMemory)
	}
	var mul int64
	switch strings.ToLower(unit) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, errors.New(MsgMemory)
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > math.MaxInt64/mul {
		return 0, errors.New(MsgMemory)
	}
	return ByteSize(n * mul), nil
}

// String formats n with the largest binary unit that divides it exactly
// ("512mb", "1gb", "1536kb"), or as plain bytes ("100000"), so that
// ParseByteSize(n.String()) == n for every n >= 0.
func (n ByteSize) String() string {
	switch {
	case n == 0:
		return "0"
	case n%GB == 0:
		return strconv.FormatInt(int64(n/GB), 10) + "gb"
	case n%MB == 0:
		return strconv.FormatInt(int64(n/MB), 10) + "mb"
	case n%KB == 0:
		return strconv.FormatInt(int64(n/KB), 10) + "kb"
	}
	return strconv.FormatInt(int64(n), 10)
}

// Int64 returns n as a plain number of bytes.
func (n ByteSize) Int64() int64 { return int64(n) }

// MarshalText formats n as String does.
func (n ByteSize) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalText parses b with ParseByteSize.
func (n *ByteSize) UnmarshalText(b []byte) error {
	v, err := ParseByteSize(string(b))
	if err != nil {
		return err
	}
	*n = v
	return nil
}
