package resp_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/keyslot/keyslot/internal/resp"
)

// refStatus is the outcome of the reference scanner.
type refStatus int

const (
	refComplete refStatus = iota
	refIncomplete
	refBad
	refTooDeep // beyond what the oracle recurses into
)

// refScan is a plain recursive reply scanner, written independently of
// ScanReply's iterative one, used as an oracle: it returns the end of the
// element at off, or where it found the problem.
func refScan(b []byte, off, depth int) (int, refStatus) {
	if depth > 10000 {
		return off, refTooDeep
	}
	if off >= len(b) {
		return off, refIncomplete
	}
	typ := b[off]
	maxLine := map[byte]int{
		'+': 512 << 20, '-': 512 << 20, ',': 512 << 20, '(': 512 << 20,
		':': 20, '$': 20, '*': 20, '!': 20, '=': 20, '%': 20, '~': 20, '>': 20, '|': 20,
		'#': 1, '_': 0,
	}
	ml, known := maxLine[typ]
	if !known {
		return off, refBad
	}
	// Find the line; reject it as soon as it cannot fit in ml bytes.
	nl := -1
	for i := off + 1; i < len(b); i++ {
		if b[i] == '\n' {
			nl = i
			break
		}
		if n := i - off; n > ml+1 || n == ml+1 && b[i] != '\r' {
			return off, refBad
		}
	}
	if nl < 0 {
		return off, refIncomplete
	}
	if nl < off+2 || b[nl-1] != '\r' {
		return off, refBad
	}
	line := string(b[off+1 : nl-1])
	next := nl + 1
	canonical := func(s string) (int64, bool) {
		v, err := strconv.ParseInt(s, 10, 64)
		return v, err == nil && strconv.FormatInt(v, 10) == s
	}
	switch typ {
	case '+', '-':
		return next, refComplete
	case ':':
		if _, ok := canonical(line); !ok {
			return off, refBad
		}
		return next, refComplete
	case ',':
		if line == "" {
			return off, refBad
		}
		return next, refComplete
	case '(':
		digits := line
		if len(digits) > 0 && digits[0] == '-' {
			digits = digits[1:]
		}
		if digits == "" || bytes.IndexFunc([]byte(digits), func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			return off, refBad
		}
		return next, refComplete
	case '#':
		if line != "t" && line != "f" {
			return off, refBad
		}
		return next, refComplete
	case '_':
		return next, refComplete
	}
	n, ok := canonical(line)
	if !ok || n < -1 || n == -1 && typ != '$' && typ != '*' {
		return off, refBad
	}
	if n == -1 {
		return next, refComplete
	}
	switch typ {
	case '$', '!', '=':
		if n > 512<<20 {
			return off, refBad
		}
		if int64(next)+n+2 > int64(len(b)) {
			return off, refIncomplete
		}
		end := next + int(n) + 2
		if b[end-2] != '\r' || b[end-1] != '\n' || typ == '=' && (n < 4 || b[next+3] != ':') {
			return off, refBad
		}
		return end, refComplete
	}
	if n > 1<<32-1 {
		return off, refBad
	}
	count := n
	if typ == '%' || typ == '|' {
		count *= 2
	}
	pos := next
	for range count {
		var st refStatus
		if pos, st = refScan(b, pos, depth+1); st != refComplete {
			return pos, st
		}
	}
	if typ == '|' {
		// The attribute is followed by the element it annotates.
		return refScan(b, pos, depth+1)
	}
	return pos, refComplete
}

func FuzzScanReply(f *testing.F) {
	for _, tc := range scanCases {
		f.Add([]byte(tc.in), uint64(len(tc.in)))
	}
	f.Add([]byte("*3\r\n$3\r\nfoo\r\n%1\r\n+a\r\n|1\r\n+x\r\n+y\r\n~1\r\n_\r\n>1\r\n=5\r\ntxt:a\r\n"), uint64(1))
	f.Add([]byte("*2\r\n*2\r\n:1\r\n:2\r\n*-1\r\n$-1\r\n"), uint64(2))
	f.Add([]byte("%2\r\n(12\r\n#t\r\n,1e+300\r\n!3\r\nERR\r\n+rest\r\n"), uint64(3))

	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		n, err := resp.ScanReply(data)
		if n < 0 || n > len(data) || n != 0 && err != nil {
			t.Fatalf("ScanReply = %d, %v for %d bytes", n, err, len(data))
		}
		var me *resp.MalformedReplyError
		if err != nil && (!errors.As(err, &me) || me.Offset < 0 || me.Offset >= len(data)) {
			t.Fatalf("error %v is not a MalformedReplyError within the input", err)
		}

		// The independent recursive scanner agrees.
		end, st := refScan(data, 0, 0)
		switch {
		case st == refTooDeep:
		case st == refComplete && (n != end || err != nil),
			st == refIncomplete && (n != 0 || err != nil),
			st == refBad && (err == nil || me.Offset != end):
			t.Fatalf("ScanReply = %d, %v; reference %d, %v", n, err, end, st)
		}

		if n > 0 {
			// The reply alone scans the same; every proper prefix of it is
			// incomplete, never an error.
			if m, err := resp.ScanReply(data[:n]); m != n || err != nil {
				t.Fatalf("reply alone: %d, %v; want %d", m, err, n)
			}
			step := max(1, n/256)
			for k := 0; k < n; k += step {
				if m, err := resp.ScanReply(data[:k]); m != 0 || err != nil {
					t.Fatalf("prefix %d of %d: %d, %v", k, n, m, err)
				}
			}
		}

		// The resumable scanner fed growing prefixes ends the same way.
		rng := rand.New(rand.NewPCG(seed, 1))
		s := resp.NewReplyScanner(resp.ReplyLimits{})
		var m int
		var serr error
		for k := 0; ; {
			k = min(len(data), k+1+rng.IntN(16))
			m, serr = s.Scan(data[:k])
			if m != 0 || serr != nil || k == len(data) {
				break
			}
		}
		if m != n || (serr == nil) != (err == nil) || err != nil && serr.Error() != err.Error() {
			t.Fatalf("resumable scan = %d, %v; ScanReply = %d, %v", m, serr, n, err)
		}

		// A depth limit only ever turns success into "nesting too deep".
		dm, derr := resp.NewReplyScanner(resp.ReplyLimits{MaxDepth: 2}).Scan(data)
		var dme *resp.MalformedReplyError
		if derr != nil && errors.As(derr, &dme) && dme.Reason == "nesting too deep" {
			if err != nil && me.Offset < dme.Offset {
				t.Fatalf("depth error at %d after the error at %d", dme.Offset, me.Offset)
			}
		} else if dm != n || (derr == nil) != (err == nil) {
			t.Fatalf("depth-limited scan = %d, %v; ScanReply = %d, %v", dm, derr, n, err)
		}

		// ParseValue agrees with the scanner and round-trips RESP2.
		v, pn, perr := resp.ParseValue(data)
		var ue *resp.UnsupportedTypeError
		var pme *resp.MalformedReplyError
		switch {
		case perr == nil && pn == 0:
			if n != 0 || err != nil {
				// Incomplete for ParseValue but not for ScanReply is only
				// possible if a RESP3 type or a limit came first, which
				// would have been an error instead.
				t.Fatalf("ParseValue incomplete, ScanReply = %d, %v", n, err)
			}
		case perr == nil:
			if pn != n {
				t.Fatalf("ParseValue used %d bytes, ScanReply %d", pn, n)
			}
			out, merr := v.MarshalRESP()
			if merr != nil || !bytes.Equal(out, data[:n]) {
				t.Fatalf("ParseValue(%q) marshals back to %q, %v", data[:n], out, merr)
			}
		case errors.As(perr, &ue):
		case errors.As(perr, &pme):
			if err == nil && pme.Reason != "length exceeds limit" && pme.Reason != "nesting too deep" {
				t.Fatalf("ParseValue: %v, ScanReply: %d, nil", perr, n)
			}
		default:
			t.Fatalf("ParseValue: decoder error %v on a scanned frame", perr)
		}
	})
}
