package resp

import (
	"bytes"
	"errors"
	"io"
	"math"
)

const (
	// readBufSize is the initial read buffer, Redis's PROTO_IOBUF_LEN.
	readBufSize = 16 << 10
	// keepBufSize is the largest buffer kept while a connection has no
	// large request in progress; a larger one is dropped so that an idle
	// connection does not hold on to the memory of its biggest request.
	keepBufSize = 2 * readBufSize
	// keepArgs is the largest argument store kept across an idle moment.
	keepArgs = 4096
	// maxEmptyReads is how many (0, nil) reads in a row are tolerated
	// before giving up with io.ErrNoProgress, as bufio does.
	maxEmptyReads = 100
	// Redis's limits for a client that still has to authenticate
	// (processMultibulkBuffer, authRequired).
	unauthMaxMultibulkLen = 10
	unauthMaxBulkLen      = 16384
)

// Limits bound what one client may send. A zero field takes its default
// from DefaultLimits.
type Limits struct {
	// MaxBulkLen is the largest bulk argument: proto-max-bulk-len.
	MaxBulkLen int64
	// MaxMultibulkLen is the largest argument count of a multibulk request.
	MaxMultibulkLen int
	// MaxInlineLen bounds an inline request line and the "*N" and "$N"
	// count lines of a multibulk request: Redis's PROTO_INLINE_MAX_SIZE.
	MaxInlineLen int
	// MaxQueryBufLen bounds the bytes one request may occupy while it is
	// read: client-query-buffer-max-size. Exceeding it ends the connection
	// with ErrQueryBufferLimit.
	MaxQueryBufLen int64
}

// DefaultLimits returns keyslot's defaults, which are Redis 7.0's but for
// one: proto-max-bulk-len 512mb, 64 KiB count and inline lines,
// client-query-buffer-max-size 1gb, and a multibulk length of at most
// 1,048,576 arguments. Redis 7.0 accepts up to INT_MAX ("*2147483647");
// keyslot keeps the 1M cap of earlier Redis versions, so one request cannot
// make a connection track two billion argument slots, and answers a longer
// one as Redis answers one over INT_MAX: "invalid multibulk length".
func DefaultLimits() Limits {
	return Limits{
		MaxBulkLen:      512 << 20,
		MaxMultibulkLen: 1 << 20,
		MaxInlineLen:    64 << 10,
		MaxQueryBufLen:  1 << 30,
	}
}

// withDefaults fills the zero (or negative) fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBulkLen <= 0 {
		l.MaxBulkLen = d.MaxBulkLen
	}
	if l.MaxMultibulkLen <= 0 {
		l.MaxMultibulkLen = d.MaxMultibulkLen
	}
	if l.MaxInlineLen <= 0 {
		l.MaxInlineLen = d.MaxInlineLen
	}
	if l.MaxQueryBufLen <= 0 {
		l.MaxQueryBufLen = d.MaxQueryBufLen
	}
	if l.MaxQueryBufLen > math.MaxInt {
		l.MaxQueryBufLen = math.MaxInt
	}
	return l
}

// Command is one request read from a client.
//
// Raw and Args point into the Reader's buffer and stay valid only until the
// next call to ReadCommands; copy what must outlive it.
type Command struct {
	// Raw is the request exactly as received: the whole multibulk frame, or
	// the inline line with its terminator.
	Raw []byte
	// Args are the arguments, Args[0] being the command name. For multibulk
	// requests every argument is a sub-slice of Raw. For inline requests a
	// plain word is a sub-slice of Raw too, but a word with quotes or escapes
	// is decoded into memory owned by the Reader, with the same lifetime.
	// Each argument's capacity ends at its length, so appending to one
	// never overwrites another.
	Args [][]byte
	// Inline is true for an inline (telnet-style) request. A proxy should
	// re-encode such a request with AppendCommand rather than forward Raw.
	Inline bool
}

// span locates one argument inside the request being parsed, as offsets from
// the request's first byte, so it survives the buffer being moved.
type span struct{ start, end int }

// Reader reads pipelined requests from a client the way Redis's
// processInputBuffer does, for a server or a proxy. It is not safe for
// concurrent use.
type Reader struct {
	rd  io.Reader
	lim Limits

	// buf[r:w] holds the bytes read and not consumed yet. Bytes before r
	// belong to commands returned by the latest ReadCommands call.
	buf  []byte
	r, w int

	// Progress through a multibulk request that is not complete yet, kept
	// across reads so a request arriving in many pieces is parsed once and
	// not again from its start after every read (which would be quadratic
	// for a request of a million arguments).
	inFrame bool  // a multibulk header has been accepted
	argc    int   // declared argument count
	pos     int   // offset from buf[r] of the next byte to parse
	bulk    int64 // declared length of the argument being read, or -1
	spans   []span
	need    int // bytes from buf[r] the request needs, when known, else 0

	args    [][]byte // backing store for Command.Args
	scratch []byte   // decoded inline arguments that are not plain words

	authRequired bool

	readErr error // error of the last Read, reported once the buffer is used up
	err     error // sticky terminal error
}

// NewReader returns a Reader of requests from rd. Zero fields of lim take
// their defaults.
func NewReader(rd io.Reader, lim Limits) *Reader {
	return &Reader{rd: rd, lim: lim.withDefaults(), bulk: -1}
}

// SetAuthRequired tells the Reader whether the client still has to
// authenticate. While it does, Redis allows a multibulk request at most 10
// arguments ("Protocol error: unauthenticated multibulk length") and a bulk
// at most 16384 bytes ("Protocol error: unauthenticated bulk length"), and
// checks each request after the previous one ran. To match that,
// ReadCommands returns at most one command per call while auth is required,
// so the caller can clear it after a successful AUTH or HELLO before the next
// request is parsed.
func (r *Reader) SetAuthRequired(required bool) { r.authRequired = required }

// QueryBufStats returns the bytes buffered and not yet consumed and the
// free space left in the buffer, as CLIENT LIST reports them in its qbuf and
// qbuf-free fields. Like every Reader method it must not run concurrently
// with ReadCommands: a CLIENT LIST served by another goroutine needs a copy
// taken by the connection's own goroutine.
func (r *Reader) QueryBufStats() (qbuf, qbufFree int) {
	return r.w - r.r, len(r.buf) - r.w
}

// ReadCommands appends to dst every complete command already buffered and
// returns the extended slice. It blocks on a read only when no complete
// command is buffered, and then returns as soon as at least one is.
//
// The Raw and Args of the returned commands, and of any command returned by
// an earlier call, stay valid only until the next call to ReadCommands.
//
// When a malformed request follows complete commands, ReadCommands returns
// the complete commands together with the *ProtocolError. The caller runs
// those commands and replies to them in order, then replies
// "-ERR " + err.Error(), then closes the connection: this is what Redis does
// with such a buffer. A *ProtocolError is also returned alone, with no
// commands, when the malformed request is the first one.
//
// Other errors end the connection without a reply: ErrQueryBufferLimit when
// one request exceeds Limits.MaxQueryBufLen, io.EOF when the client closed
// the connection between requests, io.ErrUnexpectedEOF when it closed in the
// middle of one, or the error of the underlying reader. These are returned
// only after every command complete before them has been returned, by an
// earlier call or with no commands.
//
// Once an error has been returned, every later call returns it again.
func (r *Reader) ReadCommands(dst []Command) ([]Command, error) {
	// The previous batch is released: its argument storage is reused.
	r.args = r.args[:0]
	r.scratch = r.scratch[:0]
	if r.err != nil {
		return dst, r.err
	}
	n0 := len(dst)
	for {
		var err error
		dst, err = r.parse(dst, n0)
		if err != nil {
			r.err = err
			return dst, err
		}
		if len(dst) > n0 {
			return dst, nil
		}
		if r.readErr != nil {
			r.err = r.readErr
			if r.err == io.EOF && (r.w > r.r || r.inFrame) {
				r.err = io.ErrUnexpectedEOF
			}
			return dst, r.err
		}
		if err := r.fill(); err != nil {
			r.err = err
			return dst, err
		}
	}
}

// parse appends the complete commands in buf[r:w] to dst, consuming them,
// and stops at the first incomplete or malformed request.
func (r *Reader) parse(dst []Command, n0 int) ([]Command, error) {
	r.need = 0
	for r.r < r.w {
		if r.authRequired && len(dst) > n0 {
			return dst, nil
		}
		b := r.buf[r.r:r.w]
		var (
			n   int
			err error
		)
		// As in Redis, a request is multibulk if and only if it starts with '*'.
		if r.inFrame || b[0] == '*' {
			dst, n, err = r.parseMultibulk(b, dst)
		} else {
			dst, n, err = r.parseInline(b, dst)
		}
		if err != nil {
			return dst, err
		}
		if n == 0 {
			return dst, nil
		}
		r.r += n
	}
	return dst, nil
}

// count reads the count line ("*N" or "$N") at the start of b without
// judging its first byte. It returns the number and the index of the line's
// '\r'; j < 0 when more bytes are needed, ok false when the line is complete
// but does not hold a valid number.
func (r *Reader) count(b []byte, tooBig *ProtocolError) (n int64, j int, ok bool, err error) {
	// Fast path for the usual line: up to 18 digits without a leading zero
	// (so no overflow), '\r', and the byte after it present. Anything else,
	// valid or not, takes the general path below, which decides the same
	// way on this form.
	if len(b) >= 4 && r.lim.MaxInlineLen >= 20 {
		if c := b[1]; c >= '1' && c <= '9' {
			v := int64(c - '0')
			for i := 2; i < len(b)-1 && i <= 19; i++ {
				c = b[i]
				if c >= '0' && c <= '9' {
					v = v*10 + int64(c-'0')
					continue
				}
				if c == '\r' {
					return v, i, true, nil
				}
				break
			}
		} else if c == '0' && b[2] == '\r' {
			return 0, 2, true, nil
		}
	}
	if j, err = r.countLine(b, tooBig); err != nil || j <= 0 {
		// j == 0: the line is a lone '\r', which the caller rejects by its
		// first byte.
		return 0, j, false, err
	}
	n, ok = parseLen(b[1:j])
	return n, j, ok, nil
}

// countLine finds the end of the count line ("*N" or "$N") at the start of b
// as Redis does: the line ends at the first '\r' and is followed by one more
// byte, which Redis skips without checking that it is '\n'. It returns the
// index of the '\r', or -1 when more bytes are needed.
//
// Redis looks for the '\r' with strchr, which stops at a NUL byte, so a line
// with a NUL before its '\r' never ends and is only ended by the length limit.
// The limit is applied as if bytes arrived one at a time (an error as soon as
// more than MaxInlineLen bytes precede the '\r'), so the outcome does not
// depend on how the bytes were split into reads.
func (r *Reader) countLine(b []byte, tooBig *ProtocolError) (int, error) {
	max := r.lim.MaxInlineLen
	window := b
	if len(window) > max {
		window = window[:max+1]
	}
	j := bytes.IndexByte(window, '\r')
	if j >= 0 && bytes.IndexByte(b[:j], 0) >= 0 {
		j = -1
	}
	if j < 0 {
		if len(b) > max {
			return -1, tooBig
		}
		return -1, nil
	}
	if j+1 >= len(b) {
		return -1, nil
	}
	return j, nil
}

// parseMultibulk continues the multibulk request at the start of b. It
// returns the bytes consumed, 0 when the request is not complete yet.
func (r *Reader) parseMultibulk(b []byte, dst []Command) ([]Command, int, error) {
	if !r.inFrame {
		n, j, ok, err := r.count(b, ErrTooBigMultibulkCount)
		if err != nil || j < 0 {
			return dst, 0, err
		}
		if !ok || n > int64(r.lim.MaxMultibulkLen) {
			return dst, 0, ErrInvalidMultibulkLength
		}
		if r.authRequired && n > unauthMaxMultibulkLen {
			return dst, 0, ErrUnauthenticatedMultibulkLength
		}
		if n <= 0 {
			// "*0" and "*-1" are skipped, as Redis does.
			return dst, j + 2, nil
		}
		r.inFrame = true
		r.argc = int(n)
		r.pos = j + 2
		r.bulk = -1
		r.spans = r.spans[:0]
	}
	for len(r.spans) < r.argc {
		if r.bulk < 0 {
			rest := b[r.pos:]
			n, j, ok, err := r.count(rest, ErrTooBigBulkCount)
			if err != nil || j < 0 {
				return dst, 0, err
			}
			if rest[0] != '$' {
				return dst, 0, &ProtocolError{Kind: KindExpectedDollar, Got: rest[0]}
			}
			if !ok || n < 0 || n > r.lim.MaxBulkLen {
				return dst, 0, ErrInvalidBulkLength
			}
			if r.authRequired && n > unauthMaxBulkLen {
				return dst, 0, ErrUnauthenticatedBulkLength
			}
			r.pos += j + 2
			r.bulk = n
		}
		// Like Redis, take the two bytes after the argument as its CRLF
		// without checking them: the lengths alone keep the stream in step.
		end := int64(r.pos) + r.bulk + 2
		if end > int64(len(b)) {
			if end <= math.MaxInt {
				r.need = int(end)
			}
			return dst, 0, nil
		}
		r.spans = append(r.spans, span{r.pos, r.pos + int(r.bulk)})
		r.pos = int(end)
		r.bulk = -1
	}
	raw := b[:r.pos:r.pos]
	first := len(r.args)
	for _, s := range r.spans {
		r.args = append(r.args, raw[s.start:s.end:s.end])
	}
	dst = append(dst, Command{Raw: raw, Args: r.args[first:len(r.args):len(r.args)]})
	n := r.pos
	r.inFrame = false
	r.pos = 0
	return dst, n, nil
}

// parseInline parses the inline request at the start of b, as Redis's
// processInlineBuffer does. It returns the bytes consumed, 0 when the line is
// not complete yet. A line without arguments is consumed without a command.
func (r *Reader) parseInline(b []byte, dst []Command) ([]Command, int, error) {
	max := r.lim.MaxInlineLen
	window := b
	if len(window) > max {
		window = window[:max+1]
	}
	i := bytes.IndexByte(window, '\n')
	// As for count lines, a NUL byte before the newline stops Redis's
	// strchr, so such a line never ends; the limit applies as if the bytes
	// came one at a time.
	if i >= 0 && bytes.IndexByte(b[:i], 0) >= 0 {
		i = -1
	}
	if i < 0 {
		if len(b) > max {
			return dst, 0, ErrTooBigInlineRequest
		}
		return dst, 0, nil
	}
	line := b[:i]
	if i > 0 && line[i-1] == '\r' {
		line = line[:i-1]
	}
	first := len(r.args)
	if !r.splitArgs(line) {
		r.args = r.args[:first]
		return dst, 0, ErrUnbalancedQuotes
	}
	if len(r.args) > first {
		dst = append(dst, Command{
			Raw:    b[: i+1 : i+1],
			Args:   r.args[first:len(r.args):len(r.args)],
			Inline: true,
		})
	}
	return dst, i + 1, nil
}

// splitArgs splits an inline line into arguments exactly as Redis's
// sdssplitargs does, appending them to r.args. It reports false for
// unbalanced quotes. Plain words are sub-slices of line; words with quotes
// are decoded into r.scratch.
func (r *Reader) splitArgs(line []byte) bool {
	p, n := 0, len(line)
	for {
		for p < n && isSpace(line[p]) {
			p++
		}
		if p >= n {
			return true
		}
		start := p
		for p < n && !endsWord(line[p]) && line[p] != '"' && line[p] != '\'' {
			p++
		}
		if p >= n || endsWord(line[p]) {
			r.args = append(r.args, line[start:p:p])
			continue
		}
		// A quote inside or at the start of a word: the plain prefix is
		// kept, the quoted part decoded, and the word ends at the closing
		// quote, which must be followed by a space or the end of the line.
		if r.scratch == nil {
			r.scratch = make([]byte, 0, 64)
		}
		s0 := len(r.scratch)
		r.scratch = append(r.scratch, line[start:p]...)
		var ok bool
		if p, ok = r.unquote(line, p); !ok {
			return false
		}
		// Later words are appended after this one and never overwrite it.
		e := len(r.scratch)
		r.args = append(r.args, r.scratch[s0:e:e])
	}
}

// unquote decodes the quoted section starting at line[p], a double or single
// quote, into r.scratch and returns the index after the closing quote.
func (r *Reader) unquote(line []byte, p int) (int, bool) {
	n := len(line)
	if line[p] == '"' {
		p++
		for p < n {
			c := line[p]
			switch {
			case c == '\\' && p+3 < n && line[p+1] == 'x' && isHex(line[p+2]) && isHex(line[p+3]):
				r.scratch = append(r.scratch, unhex(line[p+2])<<4|unhex(line[p+3]))
				p += 4
			case c == '\\' && p+1 < n:
				p++
				switch e := line[p]; e {
				case 'n':
					c = '\n'
				case 'r':
					c = '\r'
				case 't':
					c = '\t'
				case 'b':
					c = '\b'
				case 'a':
					c = '\a'
				default:
					c = e
				}
				r.scratch = append(r.scratch, c)
				p++
			case c == '"':
				if p+1 < n && !isSpace(line[p+1]) {
					return p, false
				}
				return p + 1, true
			default:
				r.scratch = append(r.scratch, c)
				p++
			}
		}
		return p, false
	}
	p++
	for p < n {
		c := line[p]
		switch {
		case c == '\\' && p+1 < n && line[p+1] == '\'':
			r.scratch = append(r.scratch, '\'')
			p += 2
		case c == '\'':
			if p+1 < n && !isSpace(line[p+1]) {
				return p, false
			}
			return p + 1, true
		default:
			r.scratch = append(r.scratch, c)
			p++
		}
	}
	return p, false
}

// isSpace is C's isspace in the C locale, which sdssplitargs uses to skip
// blanks between words.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// endsWord reports whether c ends an unquoted word in sdssplitargs; unlike
// isSpace it excludes '\v' and '\f', which stay inside a word.
func endsWord(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// parseLen parses a decimal length as Redis's string2ll does: an optional
// '-', no '+', no leading zeros, no "-0", fewer than 21 bytes, within int64.
func parseLen(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) >= 21 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
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
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// fill reads more bytes into the buffer, first moving the unconsumed bytes
// to its start and growing it if it is full.
func (r *Reader) fill() error {
	if r.r > 0 {
		r.w = copy(r.buf, r.buf[r.r:r.w])
		r.r = 0
	}
	small := min(readBufSize, int(r.lim.MaxQueryBufLen))
	if cap(r.buf) > keepBufSize && r.w <= small/2 && r.need <= small {
		// The large request that grew the buffer is done: go back to a
		// small buffer rather than keep the peak for the connection's life.
		nb := make([]byte, small)
		copy(nb, r.buf[:r.w])
		r.buf = nb
		if cap(r.args) > keepArgs {
			r.args = nil
		}
		if cap(r.spans) > keepArgs && !r.inFrame {
			r.spans = nil
		}
	}
	if r.buf == nil {
		r.buf = make([]byte, small)
	}
	if r.w == len(r.buf) {
		if err := r.grow(); err != nil {
			return err
		}
	}
	for range maxEmptyReads {
		n, err := r.rd.Read(r.buf[r.w:])
		if n < 0 || n > len(r.buf)-r.w {
			return errors.New("resp: reader returned an invalid count")
		}
		r.w += n
		if err != nil {
			r.readErr = err
			return nil
		}
		if n > 0 {
			return nil
		}
	}
	r.readErr = io.ErrNoProgress
	return nil
}

// grow enlarges the full buffer. It doubles, so the buffer never holds more
// than twice the bytes that actually arrived, whatever length a request
// declares; when the request in progress is known to need less than double,
// it grows to exactly that.
func (r *Reader) grow() error {
	limit := int(r.lim.MaxQueryBufLen)
	if len(r.buf) >= limit {
		return ErrQueryBufferLimit
	}
	size := 2 * len(r.buf)
	if r.need > len(r.buf) && r.need < size {
		size = r.need
	}
	if size > limit || size < len(r.buf) {
		size = limit
	}
	nb := make([]byte, size)
	copy(nb, r.buf[:r.w])
	r.buf = nb
	return nil
}
