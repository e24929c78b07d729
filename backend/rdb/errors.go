package rdb

import (
	"errors"
	"fmt"
)

// ErrBadPayload reports a DUMP payload whose footer is wrong: too short, an
// RDB version newer than this one, or a checksum mismatch. Its text is the
// one Redis replies to RESTORE with, without the "ERR " prefix.
var ErrBadPayload = errors.New("DUMP payload version or checksum are wrong")

// ErrBadFormat reports serialized data that passed the checksum but is
// malformed, or holds a type this package does not load (streams, modules).
// Its text is the one Redis replies to RESTORE with, without the "ERR "
// prefix.
//
//lint:ignore ST1005 this is Redis's reply text, capital letter included.
var ErrBadFormat = errors.New("Bad data format")

// ErrUnsupportedType reports a valid RDB object type that this package does
// not load, such as a stream or a module value. Errors wrapping it also
// match ErrBadFormat.
var ErrUnsupportedType = errors.New("rdb: unsupported object type")

// ErrInvalidObject reports an Object that cannot be serialized with the
// requested encoding: an unknown kind or encoding name, an empty collection,
// an intset member that is not an integer, or a NaN score.
var ErrInvalidObject = errors.New("rdb: object cannot be serialized with this encoding")

// FormatError describes where and why serialized data is malformed. It
// matches ErrBadFormat with errors.Is.
type FormatError struct {
	// Offset is the position in the decoder's input where the problem was
	// found.
	Offset int
	// Reason says what is wrong.
	Reason string
	// Err is a more specific cause, such as ErrUnsupportedType, or nil.
	Err error
}

// Error returns a description with the offset and the reason.
func (e *FormatError) Error() string {
	return fmt.Sprintf("rdb: bad data format at offset %d: %s", e.Offset, e.Reason)
}

// Is makes every FormatError match ErrBadFormat.
func (e *FormatError) Is(target error) bool { return target == ErrBadFormat }

// Unwrap returns the specific cause, if any.
func (e *FormatError) Unwrap() error { return e.Err }

func invalidObject(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidObject}, args...)...)
}
