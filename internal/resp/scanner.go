package resp

import (
	"bytes"
	"math"
)

const (
	// numLineMax is the longest line holding a length or an integer:
	// "-9223372036854775808". Longer lines are rejected before their end
	// arrives, so garbage cannot make the scanner wait.
	numLineMax = 20
	// maxPending bounds the count of elements still expected, far beyond
	// anything real and far below overflow.
	maxPending = 1 << 62
)

// ReplyLimits bound what the reply scanner accepts from a server, so that a
// broken or hostile upstream cannot make a proxy wait for, or buffer, a
// frame of absurd declared size.
type ReplyLimits struct {
	// MaxBulkLen is the longest bulk string, blob error or verbatim string.
	MaxBulkLen int64
	// MaxAggregateLen is the largest element count of an array, set or
	// push, and the largest pair count of a map or attribute.
	MaxAggregateLen int64
	// MaxLineLen is the longest simple string, simple error, double or big
	// number, without its type byte and CRLF.
	MaxLineLen int
	// MaxDepth is the deepest nesting accepted; 0 means unlimited. The
	// scanner itself keeps no per-level state, so nesting costs it nothing;
	// the limit is for decoders that recurse.
	MaxDepth int
}

// DefaultReplyLimits returns limits that accept everything a Redis server
// with default settings sends: bulks and lines up to proto-max-bulk-len
// (512 MiB), aggregates up to 2^32-1 elements (the most a set can hold), and
// any nesting.
func DefaultReplyLimits() ReplyLimits {
	return ReplyLimits{
		MaxBulkLen:      512 << 20,
		MaxAggregateLen: math.MaxUint32,
		MaxLineLen:      512 << 20,
	}
}

// ScanReply returns the length of the first complete reply in b, with
// DefaultReplyLimits. It returns (0, nil) when b holds only part of a reply,
// and a *MalformedReplyError when b does not start with a valid one.
//
// It handles every RESP2 and RESP3 type (+ - : $ * _ , # ! = ( % ~ > and
// attributes |), the null forms $-1 and *-1, and any nesting, without
// recursion and without decoding. RESP3 streamed strings and aggregates
// ($? and *?), which Redis never sends, are rejected as malformed.
//
// A caller that calls ScanReply again each time more bytes of a large reply
// arrive rescans the reply from its start every time; a ReplyScanner
// remembers its progress instead.
func ScanReply(b []byte) (n int, err error) {
	var s ReplyScanner
	return s.Scan(b)
}

// depthEntry is one open aggregate, tracked only when MaxDepth is set.
type depthEntry struct {
	left int64 // elements still to come
	attr bool  // an attribute, which is not itself an element of its parent
}

// ReplyScanner finds where replies end, like ScanReply, but remembers how
// far it got into an incomplete reply, so that scanning a reply that arrives
// in many reads costs time linear in its size. It is not safe for concurrent
// use.
type ReplyScanner struct {
	lim   ReplyLimits
	resp2 bool // accept only RESP2 types (for ParseValue)

	started  bool
	off      int   // start of the next element of the reply in progress
	pending  int64 // elements still to scan, including the one at off
	lineFrom int   // where to resume looking for the end of the line at off
	stack    []depthEntry
}

// NewReplyScanner returns a scanner with the given limits. Zero fields other
// than MaxDepth take their defaults from DefaultReplyLimits. The zero
// ReplyScanner is ready to use with DefaultReplyLimits.
func NewReplyScanner(lim ReplyLimits) *ReplyScanner {
	return &ReplyScanner{lim: lim.withDefaults()}
}

// withDefaults fills the zero (or negative) fields of l, except MaxDepth,
// from DefaultReplyLimits.
func (l ReplyLimits) withDefaults() ReplyLimits {
	d := DefaultReplyLimits()
	if l.MaxBulkLen <= 0 {
		l.MaxBulkLen = d.MaxBulkLen
	}
	if l.MaxAggregateLen <= 0 {
		l.MaxAggregateLen = d.MaxAggregateLen
	}
	if l.MaxLineLen <= 0 {
		l.MaxLineLen = d.MaxLineLen
	}
	if l.MaxDepth < 0 {
		l.MaxDepth = 0
	}
	return l
}

// Reset forgets the reply in progress.
func (s *ReplyScanner) Reset() { s.started = false }

// Scan returns the length of the first complete reply in b, (0, nil) if b
// holds only part of one, or a *MalformedReplyError.
//
// After Scan returned (0, nil), the next call must pass the same bytes
// extended with more (b may have moved, its contents must not have changed):
// Scan resumes where it stopped. After a complete reply or an error, the
// next call starts a new reply at b[0].
func (s *ReplyScanner) Scan(b []byte) (int, error) {
	if !s.started {
		s.lim = s.lim.withDefaults()
		s.started = true
		s.off = 0
		s.pending = 1
		s.lineFrom = 0
		s.stack = s.stack[:0]
	}
	for s.pending > 0 {
		done, err := s.step(b)
		if err != nil {
			s.started = false
			return 0, err
		}
		if !done {
			return 0, nil
		}
	}
	s.started = false
	return s.off, nil
}

// step scans the element at s.off. It returns false when b ends first.
func (s *ReplyScanner) step(b []byte) (bool, error) {
	off := s.off
	if off >= len(b) {
		return false, nil
	}
	typ := b[off]
	var maxLine int
	switch typ {
	case '+', '-':
		maxLine = s.lim.MaxLineLen
	case ':', '$', '*':
		maxLine = numLineMax
	case ',', '(', '#', '_', '!', '=', '%', '~', '>', '|':
		if s.resp2 {
			return false, &UnsupportedTypeError{Type: typ, Offset: off}
		}
		switch typ {
		case ',', '(':
			maxLine = s.lim.MaxLineLen
		case '#':
			maxLine = 1
		case '_':
			maxLine = 0
		default:
			maxLine = numLineMax
		}
	default:
		return false, s.malformed(off, "unknown type byte")
	}

	// The line ends at the first '\n', which must follow a '\r'. Looking no
	// further than the longest allowed line lets an overlong one be
	// rejected before its end arrives.
	start := off + 1
	from := max(start, s.lineFrom)
	end := len(b)
	if limit := start + maxLine + 2; limit >= 0 && limit < end {
		end = limit
	}
	i := -1
	if from < end {
		i = bytes.IndexByte(b[from:end], '\n')
	}
	if i < 0 {
		// With maxLine+1 bytes seen, only a '\r' as the last of them
		// can still end a line of maxLine bytes.
		if seen := end - start; seen >= maxLine+2 || seen == maxLine+1 && b[start+maxLine] != '\r' {
			return false, s.malformed(off, "line too long")
		}
		s.lineFrom = max(from, end)
		return false, nil
	}
	nl := from + i
	if nl-1 < start || b[nl-1] != '\r' {
		if nl > start+maxLine {
			// Same verdict as when the '\n' had not arrived yet.
			return false, s.malformed(off, "line too long")
		}
		return false, s.malformed(off, "line not terminated by CRLF")
	}
	s.lineFrom = 0
	line := b[start : nl-1]
	next := nl + 1

	switch typ {
	case '+', '-':
		return s.leaf(next), nil
	case ':':
		if _, ok := parseLen(line); !ok {
			return false, s.malformed(off, "invalid integer")
		}
		return s.leaf(next), nil
	case ',':
		if len(line) == 0 {
			return false, s.malformed(off, "empty double")
		}
		return s.leaf(next), nil
	case '(':
		if !isBigNumber(line) {
			return false, s.malformed(off, "invalid big number")
		}
		return s.leaf(next), nil
	case '#':
		if len(line) != 1 || line[0] != 't' && line[0] != 'f' {
			return false, s.malformed(off, "invalid boolean")
		}
		return s.leaf(next), nil
	case '_':
		if len(line) != 0 {
			return false, s.malformed(off, "invalid null")
		}
		return s.leaf(next), nil
	case '$', '!', '=':
		n, err := s.length(off, typ, line, s.lim.MaxBulkLen)
		if err != nil {
			return false, err
		}
		if n < 0 {
			return s.leaf(next), nil
		}
		stop := int64(next) + n + 2
		if stop > int64(len(b)) {
			return false, nil
		}
		e := int(stop)
		if b[e-2] != '\r' || b[e-1] != '\n' {
			return false, s.malformed(off, "bulk not terminated by CRLF")
		}
		if typ == '=' && (n < 4 || b[next+3] != ':') {
			return false, s.malformed(off, "invalid verbatim string format")
		}
		return s.leaf(e), nil
	}

	// Aggregates: '*', '%', '~', '>', '|'.
	n, err := s.length(off, typ, line, s.lim.MaxAggregateLen)
	if err != nil {
		return false, err
	}
	if n >= 0 && s.lim.MaxDepth > 0 && len(s.stack) >= s.lim.MaxDepth {
		// Empty aggregates count too: a recursive decoder enters them.
		return false, s.malformed(off, "nesting too deep")
	}
	if n <= 0 {
		if typ == '|' {
			// An empty attribute annotates the element that follows it.
			s.off = next
			return true, nil
		}
		return s.leaf(next), nil
	}
	if typ == '%' || typ == '|' {
		n *= 2
	}
	if s.lim.MaxDepth > 0 {
		s.stack = append(s.stack, depthEntry{left: n, attr: typ == '|'})
	}
	// An attribute is followed by the element it annotates, which takes its
	// place; any other aggregate is the element and adds its children.
	if typ != '|' {
		n--
	}
	if s.pending > maxPending-n {
		return false, s.malformed(off, "too many elements")
	}
	s.pending += n
	s.off = next
	return true, nil
}

// leaf records that a complete element ends at next.
func (s *ReplyScanner) leaf(next int) bool {
	s.off = next
	s.pending--
	// Closing an element may complete its parent, and so on up; a completed
	// attribute is not an element of its parent.
	for len(s.stack) > 0 {
		top := &s.stack[len(s.stack)-1]
		top.left--
		if top.left > 0 {
			break
		}
		attr := top.attr
		s.stack = s.stack[:len(s.stack)-1]
		if attr {
			break
		}
	}
	return true
}

// length parses the length line of a bulk or aggregate. It returns -1 for
// the RESP2 nulls $-1 and *-1.
func (s *ReplyScanner) length(off int, typ byte, line []byte, limit int64) (int64, error) {
	if len(line) == 1 && line[0] == '?' {
		return 0, s.malformed(off, "streamed RESP3 types are not supported")
	}
	n, ok := parseLen(line)
	if ok && n == -1 && (typ == '$' || typ == '*') {
		return -1, nil
	}
	if !ok || n < 0 {
		return 0, s.malformed(off, "invalid length")
	}
	if n > limit {
		return 0, s.malformed(off, "length exceeds limit")
	}
	return n, nil
}

func (s *ReplyScanner) malformed(off int, reason string) error {
	return &MalformedReplyError{Offset: off, Reason: reason}
}

// isBigNumber reports whether b is an optionally negative decimal integer.
func isBigNumber(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
