package resp

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/tidwall/resp"
)

// valueLimits returns the limits ParseValue applies before handing a frame
// to tidwall/resp's reader, whose own limits are not ours: it misreads an
// array of more than 1,048,576 elements (returning a null with no error and
// leaving the elements unread), rejects bulks over 512 MiB, and recurses
// once per nesting level.
func valueLimits() ReplyLimits {
	return ReplyLimits{
		MaxBulkLen:      512 << 20,
		MaxAggregateLen: 1 << 20,
		MaxLineLen:      512 << 20,
		MaxDepth:        512,
	}
}

// ParseValue decodes the first complete reply in b into a tidwall/resp
// Value and returns it with the number of bytes it used. It returns a zero
// Value, 0 and a nil error when b holds only part of a reply.
//
// The reply is first delimited by the reply scanner, with limits that keep
// tidwall/resp's reader within what it handles correctly: at most 1,048,576
// elements per array, bulks up to 512 MiB, nesting up to 512 levels. Only then
// is the complete, bounded frame handed to tidwall/resp, which is never given
// a socket.
//
// tidwall/resp knows only RESP2 (+ - : $ *, with the nulls $-1 and *-1).
// A reply containing any RESP3 type anywhere, even nested, is rejected with
// an *UnsupportedTypeError rather than converted, so no type information is
// silently lost; decode RESP3 replies from a RESP2 connection instead, where
// Redis sends their RESP2 forms. Malformed input gives a
// *MalformedReplyError.
func ParseValue(b []byte) (resp.Value, int, error) {
	s := ReplyScanner{lim: valueLimits(), resp2: true}
	n, err := s.Scan(b)
	if err != nil || n == 0 {
		return resp.Value{}, 0, err
	}
	v, m, err := resp.NewReader(bytes.NewReader(b[:n])).ReadValue()
	if err != nil {
		return resp.Value{}, 0, fmt.Errorf("resp: decoding a %d-byte reply: %w", n, err)
	}
	if m != n {
		return resp.Value{}, 0, fmt.Errorf("resp: decoder used %d bytes of a %d-byte reply", m, n)
	}
	return v, n, nil
}

// AppendCommand appends args encoded as a RESP multibulk request, the form
// clients send commands in, and returns the extended slice.
func AppendCommand(dst []byte, args ...[]byte) []byte {
	dst = appendCount(dst, '*', len(args))
	for _, a := range args {
		dst = appendCount(dst, '$', len(a))
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

// AppendCommandString is AppendCommand for string arguments.
func AppendCommandString(dst []byte, args ...string) []byte {
	dst = appendCount(dst, '*', len(args))
	for _, a := range args {
		dst = appendCount(dst, '$', len(a))
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

func appendCount(dst []byte, prefix byte, n int) []byte {
	dst = append(dst, prefix)
	dst = strconv.AppendInt(dst, int64(n), 10)
	return append(dst, '\r', '\n')
}
