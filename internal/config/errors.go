package config

import (
	"errors"
	"strconv"
)

// ErrInvalid is matched (with errors.Is) by every error that reports a bad
// configuration key or value.
var ErrInvalid = errors.New("invalid configuration")

// Reasons shared with Redis, so that a bad value reads the same as it does
// in redis-server's "FATAL CONFIG FILE ERROR" and CONFIG SET replies.
const (
	MsgYesNo   = "argument must be 'yes' or 'no'"
	MsgInteger = "argument couldn't be parsed into an integer"
	MsgMemory  = "argument must be a memory value"
)

// FieldError reports one key whose value cannot be used. Its text names the
// key and the value the way redis-server quotes a bad config line
// (`databases "0": argument must be between ...`), and where the value came
// from when that is known.
type FieldError struct {
	Key    string // config key, e.g. "proto-max-bulk-len"
	Value  string // the value as given
	Source string // where the value came from ("flag --port", "KEYSLOT_PORT", a file name); may be empty
	Msg    string // why it is rejected
}

// Error formats the key, the quoted value, the source when known, and the
// reason.
func (e *FieldError) Error() string {
	s := e.Key + " " + strconv.Quote(e.Value)
	if e.Source != "" {
		s += " (from " + e.Source + ")"
	}
	return s + ": " + e.Msg
}

// Is reports whether target is ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// Invalid returns a FieldError for key with value and reason msg.
func Invalid(key, value, msg string) *FieldError {
	return &FieldError{Key: key, Value: value, Msg: msg}
}
