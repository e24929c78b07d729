package hll

import "errors"

// ErrWrongType is returned for a string value that is not a HyperLogLog: too
// short, without the "HYLL" magic, with an unknown encoding, or dense with
// the wrong length. Its text is Redis's reply without the leading '-'.
var ErrWrongType = errors.New("WRONGTYPE Key is not a valid HyperLogLog string value.")

// ErrCorrupted is returned when a value has a valid header but a body that
// does not describe exactly the 16384 registers. Its text is Redis's reply
// without the leading '-'.
var ErrCorrupted = errors.New("INVALIDOBJ Corrupted HLL object detected")
