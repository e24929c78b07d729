package resp

import (
	"io"
	"math"
	"strconv"
	"strings"
)

// flushThreshold is the buffered size past which appends write through, so
// one large reply (KEYS *, LRANGE 0 -1) streams instead of piling up whole.
const flushThreshold = 64 << 10

// Writer buffers replies for one connection. Append methods never return an
// error: the first write error is kept, later appends are dropped, and
// Flush and Err report it. A Writer is not safe for concurrent use.
type Writer struct {
	w     io.Writer
	buf   []byte
	proto int
	err   error
	held  bool // see Hold
}

// NewWriter returns a Writer speaking RESP2 to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, buf: make([]byte, 0, 4096), proto: 2}
}

// SetProto selects the protocol version, 2 or 3, as HELLO does.
func (w *Writer) SetProto(p int) { w.proto = p }

// Proto returns the protocol version in use.
func (w *Writer) Proto() int { return w.proto }

// Buffered returns the number of bytes appended but not yet written.
func (w *Writer) Buffered() int { return len(w.buf) }

// Err returns the first write error, if any.
func (w *Writer) Err() error { return w.err }

// Flush writes the buffered bytes and returns the first write error.
func (w *Writer) Flush() error {
	if w.err != nil {
		w.buf = w.buf[:0]
		return w.err
	}
	if len(w.buf) == 0 {
		return nil
	}
	_, w.err = w.w.Write(w.buf)
	w.buf = w.buf[:0]
	return w.err
}

// Hold stops appends from writing through while held is true, so that a
// caller holding locks never waits on a client that does not read; the
// bytes pile up until Hold(false) and the next Flush. Flush itself still
// writes.
func (w *Writer) Hold(held bool) { w.held = held }

// maybeFlush writes through once the buffer is large.
func (w *Writer) maybeFlush() {
	if len(w.buf) >= flushThreshold && !w.held {
		_ = w.Flush()
	}
}

func (w *Writer) appendHeader(prefix byte, n int64) {
	w.buf = append(w.buf, prefix)
	w.buf = strconv.AppendInt(w.buf, n, 10)
	w.buf = append(w.buf, '\r', '\n')
}

// AppendRaw appends bytes that are already a complete RESP encoding.
func (w *Writer) AppendRaw(b []byte) {
	w.buf = append(w.buf, b...)
	w.maybeFlush()
}

// AppendSimple appends a simple string: +s. Line breaks in s are replaced
// by spaces, as Redis does, so the reply cannot be split.
func (w *Writer) AppendSimple(s string) {
	w.buf = append(w.buf, '+')
	w.appendLine(s)
}

// AppendError appends an error reply: -msg. msg starts with the error code
// ("ERR …", "WRONGTYPE …"). Line breaks become spaces, as in Redis.
func (w *Writer) AppendError(msg string) {
	w.buf = append(w.buf, '-')
	w.appendLine(msg)
}

func (w *Writer) appendLine(s string) {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, s)
	}
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
	w.maybeFlush()
}

// AppendInt appends an integer reply: :n.
func (w *Writer) AppendInt(n int64) {
	w.appendHeader(':', n)
	w.maybeFlush()
}

// AppendBulk appends a bulk string.
func (w *Writer) AppendBulk(b []byte) {
	w.appendHeader('$', int64(len(b)))
	w.buf = append(w.buf, b...)
	w.buf = append(w.buf, '\r', '\n')
	w.maybeFlush()
}

// AppendBulkString appends s as a bulk string.
func (w *Writer) AppendBulkString(s string) {
	w.appendHeader('$', int64(len(s)))
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
	w.maybeFlush()
}

// AppendNull appends a null: $-1 in RESP2, _ in RESP3.
func (w *Writer) AppendNull() {
	if w.proto >= 3 {
		w.buf = append(w.buf, "_\r\n"...)
	} else {
		w.buf = append(w.buf, "$-1\r\n"...)
	}
}

// AppendNullArray appends a null array: *-1 in RESP2, _ in RESP3.
func (w *Writer) AppendNullArray() {
	if w.proto >= 3 {
		w.buf = append(w.buf, "_\r\n"...)
	} else {
		w.buf = append(w.buf, "*-1\r\n"...)
	}
}

// AppendArray appends the header of an array of n elements.
func (w *Writer) AppendArray(n int) { w.appendHeader('*', int64(n)) }

// AppendMap appends the header of a map of n pairs; in RESP2 it is an array
// of 2n elements.
func (w *Writer) AppendMap(n int) {
	if w.proto >= 3 {
		w.appendHeader('%', int64(n))
	} else {
		w.appendHeader('*', 2*int64(n))
	}
}

// AppendSet appends the header of a set of n elements; in RESP2 an array.
func (w *Writer) AppendSet(n int) {
	if w.proto >= 3 {
		w.appendHeader('~', int64(n))
	} else {
		w.appendHeader('*', int64(n))
	}
}

// AppendPush appends the header of an out-of-band push message of n
// elements; in RESP2 an array, as Pub/Sub messages have always been.
func (w *Writer) AppendPush(n int) {
	if w.proto >= 3 {
		w.appendHeader('>', int64(n))
	} else {
		w.appendHeader('*', int64(n))
	}
}

// AppendDouble appends a double, formatted as Redis 7.0 does (%.17g, and
// inf / -inf); in RESP2 it is a bulk string.
func (w *Writer) AppendDouble(f float64) {
	var num [32]byte
	var s []byte
	switch {
	case math.IsInf(f, 1):
		s = append(num[:0], "inf"...)
	case math.IsInf(f, -1):
		s = append(num[:0], "-inf"...)
	case math.IsNaN(f):
		s = append(num[:0], "nan"...)
	default:
		s = strconv.AppendFloat(num[:0], f, 'g', 17, 64)
	}
	if w.proto >= 3 {
		w.buf = append(w.buf, ',')
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '\r', '\n')
		return
	}
	w.AppendBulk(s)
}

// AppendBool appends a boolean: #t / #f in RESP3, :1 / :0 in RESP2.
func (w *Writer) AppendBool(b bool) {
	switch {
	case w.proto >= 3 && b:
		w.buf = append(w.buf, "#t\r\n"...)
	case w.proto >= 3:
		w.buf = append(w.buf, "#f\r\n"...)
	case b:
		w.buf = append(w.buf, ":1\r\n"...)
	default:
		w.buf = append(w.buf, ":0\r\n"...)
	}
}

// AppendVerbatim appends a verbatim string with a three-letter format such
// as "txt"; in RESP2 it is a plain bulk string.
func (w *Writer) AppendVerbatim(format string, b []byte) {
	if w.proto < 3 {
		w.AppendBulk(b)
		return
	}
	w.appendHeader('=', int64(len(b)+4))
	w.buf = append(w.buf, format...)
	w.buf = append(w.buf, ':')
	w.buf = append(w.buf, b...)
	w.buf = append(w.buf, '\r', '\n')
	w.maybeFlush()
}

// AppendBigNumber appends an arbitrary-precision integer given in decimal;
// in RESP2 it is a bulk string.
func (w *Writer) AppendBigNumber(s string) {
	if w.proto < 3 {
		w.AppendBulkString(s)
		return
	}
	w.buf = append(w.buf, '(')
	w.appendLine(s)
}
