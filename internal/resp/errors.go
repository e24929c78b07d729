package resp

import (
	"errors"
	"strconv"
)

// ProtocolErrorKind names one way a request can be malformed. The names
// follow the reasons Redis 7.0 logs in setProtocolError.
type ProtocolErrorKind uint8

// The kinds of malformed request, one per "Protocol error" text Redis 7.0
// replies in processInlineBuffer and processMultibulkBuffer.
const (
	KindTooBigInlineRequest ProtocolErrorKind = iota + 1
	KindUnbalancedQuotes
	KindTooBigMultibulkCount
	KindInvalidMultibulkLength
	KindUnauthenticatedMultibulkLength
	KindTooBigBulkCount
	KindExpectedDollar
	KindInvalidBulkLength
	KindUnauthenticatedBulkLength
)

// String returns a short name of the kind, suitable as a metric label.
func (k ProtocolErrorKind) String() string {
	switch k {
	case KindTooBigInlineRequest:
		return "too big inline request"
	case KindUnbalancedQuotes:
		return "unbalanced quotes in inline request"
	case KindTooBigMultibulkCount:
		return "too big mbulk count string"
	case KindInvalidMultibulkLength:
		return "invalid mbulk count"
	case KindUnauthenticatedMultibulkLength:
		return "unauth mbulk count"
	case KindTooBigBulkCount:
		return "too big bulk count string"
	case KindExpectedDollar:
		return "expected $ but got something else"
	case KindInvalidBulkLength:
		return "invalid bulk length"
	case KindUnauthenticatedBulkLength:
		return "unauth bulk length"
	}
	return "unknown protocol error kind " + strconv.Itoa(int(k))
}

// ProtocolError reports a malformed request. Its Error text is the one Redis
// 7.0 replies, without the "ERR " prefix: the caller replies
// "-ERR " + err.Error() and then closes the connection, as Redis does.
//
// Match a kind with errors.Is against the Err* values below, or read Kind
// after errors.As.
type ProtocolError struct {
	Kind ProtocolErrorKind
	// Got is the byte found where '$' was expected (KindExpectedDollar only).
	Got byte
}

// Error returns Redis's reply text, for example
// "Protocol error: invalid bulk length".
func (e *ProtocolError) Error() string {
	switch e.Kind {
	case KindTooBigInlineRequest:
		return "Protocol error: too big inline request"
	case KindUnbalancedQuotes:
		return "Protocol error: unbalanced quotes in request"
	case KindTooBigMultibulkCount:
		return "Protocol error: too big mbulk count string"
	case KindInvalidMultibulkLength:
		return "Protocol error: invalid multibulk length"
	case KindUnauthenticatedMultibulkLength:
		return "Protocol error: unauthenticated multibulk length"
	case KindTooBigBulkCount:
		return "Protocol error: too big bulk count string"
	case KindExpectedDollar:
		// Redis formats the byte with %c and then, like every error reply,
		// turns CR and LF into spaces so the reply stays on one line.
		got := e.Got
		if got == '\r' || got == '\n' {
			got = ' '
		}
		return "Protocol error: expected '$', got '" + string([]byte{got}) + "'"
	case KindInvalidBulkLength:
		return "Protocol error: invalid bulk length"
	case KindUnauthenticatedBulkLength:
		return "Protocol error: unauthenticated bulk length"
	}
	return "Protocol error: " + e.Kind.String()
}

// Is reports whether target is a *ProtocolError of the same kind, so that
// errors.Is(err, ErrExpectedDollar) matches whatever byte was found.
func (e *ProtocolError) Is(target error) bool {
	t, ok := target.(*ProtocolError)
	return ok && t.Kind == e.Kind
}

// Sentinels for errors.Is, one per kind. ReadCommands returns these values
// themselves, except for ErrExpectedDollar, which it returns as a new
// *ProtocolError carrying the offending byte.
var (
	ErrTooBigInlineRequest            = &ProtocolError{Kind: KindTooBigInlineRequest}
	ErrUnbalancedQuotes               = &ProtocolError{Kind: KindUnbalancedQuotes}
	ErrTooBigMultibulkCount           = &ProtocolError{Kind: KindTooBigMultibulkCount}
	ErrInvalidMultibulkLength         = &ProtocolError{Kind: KindInvalidMultibulkLength}
	ErrUnauthenticatedMultibulkLength = &ProtocolError{Kind: KindUnauthenticatedMultibulkLength}
	ErrTooBigBulkCount                = &ProtocolError{Kind: KindTooBigBulkCount}
	ErrExpectedDollar                 = &ProtocolError{Kind: KindExpectedDollar}
	ErrInvalidBulkLength              = &ProtocolError{Kind: KindInvalidBulkLength}
	ErrUnauthenticatedBulkLength      = &ProtocolError{Kind: KindUnauthenticatedBulkLength}
)

// ErrQueryBufferLimit is returned by ReadCommands when one command does not
// fit in Limits.MaxQueryBufLen. Redis closes such a client without a reply
// (client-query-buffer-max-size), so this is not a ProtocolError.
var ErrQueryBufferLimit = errors.New("resp: command exceeds the query buffer limit")

// MalformedReplyError reports a reply that is not valid RESP or that breaks
// the scanner's limits. The reply stream cannot be resynchronised after it:
// the connection to that peer must be dropped.
type MalformedReplyError struct {
	// Offset is the position in the scanned bytes where the problem was found.
	Offset int
	// Reason says what is wrong, for example "invalid bulk length".
	Reason string
}

// Error returns a description including the offset.
func (e *MalformedReplyError) Error() string {
	return "resp: malformed reply at byte " + strconv.Itoa(e.Offset) + ": " + e.Reason
}

// UnsupportedTypeError is returned by ParseValue for a reply that contains a
// RESP3 type, which tidwall/resp's Value cannot represent.
type UnsupportedTypeError struct {
	// Type is the type byte, such as '%' or '_'.
	Type byte
	// Offset is the position of the type byte in the parsed bytes.
	Offset int
}

// Error names the type byte and its offset.
func (e *UnsupportedTypeError) Error() string {
	return "resp: RESP3 type " + strconv.QuoteRune(rune(e.Type)) + " at byte " +
		strconv.Itoa(e.Offset) + " cannot be decoded into a RESP2 value"
}
