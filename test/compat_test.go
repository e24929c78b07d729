package test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

// The compat suite runs the scripts in test/compat (format: compat/README.md)
// against a real redis-server and a keyslot node side by side.
const (
	// compatFilesEnv selects scripts by name: comma-separated globs matched
	// against the file name without ".txt", e.g. "strings,bit*".
	compatFilesEnv = "KEYSLOT_COMPAT"
	// compatSelfEnv=1 compares redis-server with a second redis-server, to
	// check that a script is deterministic before it is blamed on keyslot.
	compatSelfEnv = "KEYSLOT_COMPAT_SELF"
	// compatVerboseEnv=1 logs every step with redis-server's reply.
	compatVerboseEnv = "KEYSLOT_COMPAT_VERBOSE"
	// compatMaxFailEnv overrides how many mismatches stop a script (0: never).
	compatMaxFailEnv = "KEYSLOT_COMPAT_MAXFAIL"

	compatParallel    = 2 // the machine has 2 cores, shared
	compatMaxFail     = 20
	compatReadTimeout = 2 * time.Second
	compatNoRecvWait  = 100 * time.Millisecond
	compatMaxRepeat   = 64 << 20 // bound on ${repeat:...} expansions
	compatMaxScan     = 100000   // bound on !scan iterations
	compatQuoteMax    = 300      // longest reply quoted in a report
	compatDefaultConn = "a"
)

// TestCompat runs each script in test/compat as a subtest against its own
// fresh redis-server and keyslot node (or a second redis-server with
// KEYSLOT_COMPAT_SELF=1) and reports every reply that differs.
func TestCompat(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("compat", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in test/compat: %v", err)
	}
	env := takeCompatEnv(t)
	var patterns []string
	if p := env[compatFilesEnv]; p != "" {
		patterns = strings.Split(p, ",")
	}
	self := env[compatSelfEnv] == "1"
	verbose := env[compatVerboseEnv] == "1"
	maxFail := compatMaxFail
	if v := env[compatMaxFailEnv]; v != "" {
		if maxFail, err = strconv.Atoi(v); err != nil {
			t.Fatalf("%s=%q: %v", compatMaxFailEnv, v, err)
		}
	}
	sem := make(chan struct{}, compatParallel)
	ran := 0
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		if !compatSelected(name, patterns) {
			continue
		}
		ran++
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sem <- struct{}{}
			defer func() { <-sem }()
			script, err := parseCompatFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ref := redistest.Start(t, redistest.Options{})
			r := &compatRun{t: t, maxFail: maxFail, verbose: verbose,
				names: [2]string{"redis-server", "keyslot"}}
			r.sides[0] = newCompatSide(ref.Addr)
			if self {
				r.names[1] = "redis-server #2"
				r.sides[1] = newCompatSide(redistest.Start(t, redistest.Options{}).Addr)
			} else {
				r.sides[1] = newCompatSide(startKeyslot(t, "node").Addr)
			}
			defer r.sides[0].closeAll()
			defer r.sides[1].closeAll()
			r.run(script)
		})
	}
	if ran == 0 {
		t.Fatalf("%s=%q matches no script in test/compat", compatFilesEnv, env[compatFilesEnv])
	}
}

// takeCompatEnv returns the suite's switches and removes them from the
// environment until t ends: keyslot inherits the test's environment and
// refuses to start on a KEYSLOT_* variable that is not one of its settings.
func takeCompatEnv(t *testing.T) map[string]string {
	env := map[string]string{}
	for _, name := range []string{compatFilesEnv, compatSelfEnv, compatVerboseEnv, compatMaxFailEnv} {
		v, ok := os.LookupEnv(name)
		if !ok {
			continue
		}
		env[name] = v
		if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Setenv(name, v) })
	}
	return env
}

func compatSelected(name string, patterns []string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		if ok, _ := filepath.Match(strings.TrimSpace(p), name); ok {
			return true
		}
	}
	return false
}

// Script model.

type stepKind int

const (
	stepCommand stepKind = iota // send, read one reply, compare
	stepSend                    // !send: send, read nothing
	stepRecv                    // !recv [timeout]: read one pending reply
	stepNoRecv                  // !norecv [wait]: no reply may arrive
	stepSleep                   // !sleep d
	stepRaw                     // !raw "bytes": write bytes, read nothing
	stepClosed                  // !closed: the server must close the connection
	stepClose                   // !close: drop the connection, reconnect on next use
	stepScan                    // !scan CMD ... 0 ...: full cursor loop, compare the union
	stepExpect                  // =literal: the last reply on both sides
)

type normKind int

const (
	normSort      normKind = iota // !sort
	normShape                     // !shape
	normApprox                    // !approx N
	normScanPage                  // !scanpage
	normSortPairs                 // !sortpairs
)

type normalizer struct {
	kind normKind
	n    int64
}

type compatStep struct {
	file  string
	line  int
	text  string
	conn  string
	kind  stepKind
	norms []normalizer
	args  []string
	raw   []byte // stepRaw bytes, stepExpect literal
	dur   time.Duration
}

func (s *compatStep) where() string { return fmt.Sprintf("%s:%d", s.file, s.line) }

func parseCompatFile(path string) ([]compatStep, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	file := filepath.ToSlash(path)
	var steps []compatStep
	for i, line := range strings.Split(string(src), "\n") {
		st, ok, err := parseCompatLine(strings.TrimRight(line, "\r"))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, i+1, err)
		}
		if !ok {
			continue
		}
		st.file, st.line = file, i+1
		if st.kind == stepExpect && !readsReply(steps) {
			return nil, fmt.Errorf("%s: = must follow a step that reads a reply", st.where())
		}
		steps = append(steps, st)
	}
	return steps, nil
}

// readsReply reports whether the last of steps reads a reply that an =
// line can check.
func readsReply(steps []compatStep) bool {
	if len(steps) == 0 {
		return false
	}
	switch steps[len(steps)-1].kind {
	case stepCommand, stepRecv, stepScan, stepExpect:
		return true
	}
	return false
}

var compatDirectives = map[string]stepKind{
	"!send": stepSend, "!recv": stepRecv, "!norecv": stepNoRecv, "!sleep": stepSleep,
	"!raw": stepRaw, "!closed": stepClosed, "!close": stepClose, "!scan": stepScan,
}

// parseCompatLine parses one script line; ok is false for blank lines and
// comments.
func parseCompatLine(line string) (st compatStep, ok bool, err error) {
	text := strings.TrimSpace(line)
	st.text, st.conn = text, compatDefaultConn
	if text == "" || text[0] == '#' {
		return st, false, nil
	}
	if text[0] == '=' {
		lit := strings.TrimSpace(text[1:])
		if strings.HasPrefix(lit, `"`) {
			words, err := splitCompatArgs(lit)
			if err != nil {
				return st, false, err
			}
			if len(words) != 1 || !words[0].quoted {
				return st, false, errors.New(`a quoted expectation must be one "..." word`)
			}
			lit = words[0].s
		}
		st.kind, st.raw = stepExpect, []byte(lit+"\r\n")
		return st, true, nil
	}
	words, err := splitCompatArgs(text)
	if err != nil {
		return st, false, err
	}
	i := 0
	// Prefixes: @conn and normalizers, in any order.
	for ; i < len(words) && !words[i].quoted; i++ {
		w := words[i].s
		switch {
		case strings.HasPrefix(w, "@") && len(w) > 1:
			st.conn = w[1:]
			continue
		case w == "!sort":
			st.norms = append(st.norms, normalizer{kind: normSort})
			continue
		case w == "!shape":
			st.norms = append(st.norms, normalizer{kind: normShape})
			continue
		case w == "!scanpage":
			st.norms = append(st.norms, normalizer{kind: normScanPage})
			continue
		case w == "!sortpairs":
			st.norms = append(st.norms, normalizer{kind: normSortPairs})
			continue
		case w == "!approx":
			if i+1 >= len(words) {
				return st, false, errors.New("!approx needs a tolerance")
			}
			n, err := strconv.ParseInt(words[i+1].s, 10, 64)
			if err != nil || n < 0 {
				return st, false, fmt.Errorf("!approx: bad tolerance %q", words[i+1].s)
			}
			st.norms = append(st.norms, normalizer{kind: normApprox, n: n})
			i++
			continue
		}
		break
	}
	rest := words[i:]
	if len(rest) == 0 {
		return st, false, errors.New("no command after prefixes")
	}
	if rest[0].quoted || !strings.HasPrefix(rest[0].s, "!") {
		st.kind = stepCommand
		for _, w := range rest {
			st.args = append(st.args, w.s)
		}
		return st, true, nil
	}
	kind, known := compatDirectives[rest[0].s]
	if !known {
		return st, false, fmt.Errorf("unknown directive %s", rest[0].s)
	}
	st.kind = kind
	args := rest[1:]
	wantArgs := func(min, max int) error {
		if len(args) < min || len(args) > max {
			return fmt.Errorf("%s: wrong number of arguments", rest[0].s)
		}
		return nil
	}
	if len(st.norms) > 0 && kind != stepRecv {
		return st, false, fmt.Errorf("normalizers apply only to commands and !recv, not %s", rest[0].s)
	}
	switch kind {
	case stepSend, stepScan:
		if len(args) == 0 {
			return st, false, fmt.Errorf("%s needs a command", rest[0].s)
		}
		for _, w := range args {
			st.args = append(st.args, w.s)
		}
		if kind == stepScan {
			if p := scanCursorPos(st.args); p >= len(st.args) || st.args[p] != "0" {
				return st, false, errors.New("!scan: write the cursor argument as 0")
			}
		}
	case stepRecv, stepNoRecv:
		if err := wantArgs(0, 1); err != nil {
			return st, false, err
		}
		st.dur = compatReadTimeout
		if kind == stepNoRecv {
			st.dur = compatNoRecvWait
		}
		if len(args) == 1 {
			if st.dur, err = time.ParseDuration(args[0].s); err != nil {
				return st, false, err
			}
		}
	case stepSleep:
		if err := wantArgs(1, 1); err != nil {
			return st, false, err
		}
		if st.dur, err = time.ParseDuration(args[0].s); err != nil {
			return st, false, err
		}
	case stepRaw:
		if err := wantArgs(1, 1); err != nil {
			return st, false, err
		}
		st.raw = []byte(args[0].s)
	case stepClosed, stepClose:
		if err := wantArgs(0, 0); err != nil {
			return st, false, err
		}
	}
	return st, true, nil
}

// scanCursorPos is where the cursor is in a SCAN-family command: SCAN has
// it first, HSCAN / SSCAN / ZSCAN after the key.
func scanCursorPos(args []string) int {
	if strings.EqualFold(args[0], "SCAN") {
		return 1
	}
	return 2
}

type compatWord struct {
	s      string
	quoted bool
}

// splitCompatArgs splits a line into words as redis-cli does: double quotes
// with \xHH, \n, \r, \t, \b, \a and \<char> escapes, single quotes with only
// \' as an escape; a closing quote must end the word. ${repeat:STR:N} in a
// word expands to STR repeated N times.
func splitCompatArgs(line string) ([]compatWord, error) {
	var words []compatWord
	i := 0
	for {
		for i < len(line) && isCompatSpace(line[i]) {
			i++
		}
		if i == len(line) {
			return words, nil
		}
		var b []byte
		quoted := false
		for i < len(line) && !isCompatSpace(line[i]) {
			switch q := line[i]; q {
			case '"', '\'':
				quoted = true
				i++
				closed := false
				for i < len(line) {
					c := line[i]
					if c == q {
						closed = true
						i++
						break
					}
					if c == '\\' && i+1 < len(line) {
						n := line[i+1]
						if q == '\'' {
							if n == '\'' {
								b = append(b, '\'')
								i += 2
								continue
							}
							b = append(b, c)
							i++
							continue
						}
						if n == 'x' && i+3 < len(line) && isHexDigit(line[i+2]) && isHexDigit(line[i+3]) {
							v, _ := strconv.ParseUint(line[i+2:i+4], 16, 8)
							b = append(b, byte(v))
							i += 4
							continue
						}
						b = append(b, unescapeCompat(n))
						i += 2
						continue
					}
					b = append(b, c)
					i++
				}
				if !closed {
					return nil, errors.New("unbalanced quotes")
				}
				if i < len(line) && !isCompatSpace(line[i]) {
					return nil, errors.New("closing quote must be followed by a space")
				}
			default:
				b = append(b, q)
				i++
			}
		}
		s, err := expandRepeat(string(b))
		if err != nil {
			return nil, err
		}
		words = append(words, compatWord{s: s, quoted: quoted})
	}
}

// unescapeCompat is the byte a backslash escape inside double quotes
// stands for; an unknown escape stands for the character itself.
func unescapeCompat(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}

func isCompatSpace(c byte) bool { return c == ' ' || c == '\t' }

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// expandRepeat replaces each ${repeat:STR:N} in w.
func expandRepeat(w string) (string, error) {
	const open = "${repeat:"
	for {
		start := strings.Index(w, open)
		if start < 0 {
			return w, nil
		}
		end := strings.IndexByte(w[start:], '}')
		if end < 0 {
			return "", errors.New("${repeat: without }")
		}
		end += start
		body := w[start+len(open) : end]
		colon := strings.LastIndexByte(body, ':')
		if colon < 0 {
			return "", errors.New("${repeat:STR:N} needs a count")
		}
		n, err := strconv.Atoi(body[colon+1:])
		if err != nil || n < 0 || int64(n)*int64(colon) > compatMaxRepeat {
			return "", fmt.Errorf("${repeat}: bad count %q", body[colon+1:])
		}
		w = w[:start] + strings.Repeat(body[:colon], n) + w[end+1:]
	}
}

// Running.

// compatSide is one server and the script's named connections to it.
type compatSide struct {
	addr  string
	conns map[string]*redistest.Conn
}

func newCompatSide(addr string) *compatSide {
	return &compatSide{addr: addr, conns: map[string]*redistest.Conn{}}
}

func (s *compatSide) conn(name string) (*redistest.Conn, error) {
	if c := s.conns[name]; c != nil {
		return c, nil
	}
	c, err := redistest.DialTimeout(s.addr, compatReadTimeout)
	if err != nil {
		return nil, err
	}
	c.Timeout = compatReadTimeout
	s.conns[name] = c
	return c, nil
}

// drop closes a connection so the next step on it starts afresh; done after
// a network error, when its stream can no longer be trusted.
func (s *compatSide) drop(name string) {
	if c := s.conns[name]; c != nil {
		c.Close()
		delete(s.conns, name)
	}
}

func (s *compatSide) closeAll() {
	for name := range s.conns {
		s.drop(name)
	}
}

// Outcomes that are not replies are shown in angle brackets, which no RESP
// reply starts with.
const (
	outNoReply = "<no reply>"
	outTimeout = "<timeout>"
	outClosed  = "<closed>"
)

// compatReporter is where a run reports: a *testing.T, or a recorder in the
// runner's own tests.
type compatReporter interface {
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

type compatRun struct {
	t        compatReporter
	sides    [2]*compatSide
	names    [2]string
	maxFail  int
	verbose  bool
	checks   int
	failures int
	last     [2]string // the last reply read, for = lines
	lastStep *compatStep
	lastBad  bool // the last reply read was a mismatch, already reported
}

func (r *compatRun) run(script []compatStep) {
	for i := range script {
		st := &script[i]
		r.step(st)
		if r.maxFail > 0 && r.failures >= r.maxFail {
			r.t.Errorf("%s: stopping after %d mismatches", st.where(), r.failures)
			break
		}
	}
	if len(script) > 0 {
		r.t.Logf("%s: %d of %d checks mismatch", script[0].file, r.failures, r.checks)
	}
}

func (r *compatRun) step(st *compatStep) {
	var out [2]string
	switch st.kind {
	case stepSleep:
		time.Sleep(st.dur)
		return
	case stepClose:
		r.sides[0].drop(st.conn)
		r.sides[1].drop(st.conn)
		return
	case stepExpect:
		r.checks++
		// After a reported mismatch only the reference is checked, so
		// that one wrong reply is not reported twice.
		want := maskIDs(st.raw)
		if r.last[0] != want || r.last[1] != want && !r.lastBad {
			r.mismatch(st, fmt.Sprintf("expected %s after %s", quoteReply(want), r.lastStep.text), r.last)
		}
		return
	case stepSend, stepRaw:
		for i, s := range r.sides {
			if err := r.write(s, st); err != nil {
				out[i] = "<" + err.Error() + ">"
				s.drop(st.conn)
			}
		}
		if out[0] != "" || out[1] != "" {
			r.checks++
			r.mismatch(st, st.text, out)
		}
		return
	case stepCommand:
		// Both requests go out before either reply is read, so the servers
		// see them as close together in time as possible (TTLs, expiry).
		var werr [2]error
		for i, s := range r.sides {
			werr[i] = r.write(s, st)
		}
		for i, s := range r.sides {
			if werr[i] != nil {
				out[i] = "<" + werr[i].Error() + ">"
				s.drop(st.conn)
				continue
			}
			out[i] = r.read(s, st.conn, compatReadTimeout, false)
		}
	case stepRecv:
		for i, s := range r.sides {
			out[i] = r.read(s, st.conn, st.dur, false)
		}
	case stepNoRecv:
		for i, s := range r.sides {
			out[i] = r.read(s, st.conn, st.dur, true)
			if out[i] == outTimeout {
				out[i] = outNoReply
			}
		}
	case stepClosed:
		for i, s := range r.sides {
			out[i] = r.read(s, st.conn, compatReadTimeout, false)
			s.drop(st.conn)
		}
	case stepScan:
		for i, s := range r.sides {
			out[i] = r.scan(s, st)
		}
	}
	r.checks++
	norm := out
	for i := range norm {
		norm[i] = maskIDs([]byte(norm[i]))
		for _, n := range st.norms {
			norm[i] = normalizeReply(n, norm[i])
		}
	}
	r.last, r.lastStep = norm, st
	before := r.failures
	defer func() { r.lastBad = r.failures > before }()
	if r.verbose {
		r.t.Logf("%s: %s -> %s", st.where(), st.text, quoteReply(out[0]))
	}
	equal := norm[0] == norm[1]
	for _, n := range st.norms {
		if n.kind == normApprox && !equal {
			equal = intsWithin(norm[0], norm[1], n.n)
		}
	}
	switch {
	case st.kind != stepNoRecv && st.kind != stepClosed && strings.HasPrefix(out[0], "<"):
		// The reference must answer; if it does not, the script is wrong.
		r.mismatch(st, st.text+" (no reply from the reference)", out)
	case st.kind == stepNoRecv && (out[0] != outNoReply || out[1] != outNoReply):
		r.mismatch(st, st.text+" (expected no reply yet)", out)
	case st.kind == stepClosed && (out[0] != outClosed || out[1] != outClosed):
		r.mismatch(st, st.text+" (expected the connection to close)", out)
	case !equal:
		r.mismatch(st, st.text, out)
	}
}

func (r *compatRun) write(s *compatSide, st *compatStep) error {
	c, err := s.conn(st.conn)
	if err != nil {
		return err
	}
	if st.kind == stepRaw {
		return c.Write(st.raw)
	}
	return c.Send(st.args...)
}

// read returns the next reply on a connection, or an outcome in angle
// brackets. After anything but a reply the connection is dropped, so that a
// late reply cannot be taken for the answer to a later command; only a
// timeout that was hoped for (!norecv) keeps it.
func (r *compatRun) read(s *compatSide, name string, timeout time.Duration, keepOnTimeout bool) string {
	c, err := s.conn(name)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	c.Timeout = timeout
	reply, err := c.Receive()
	c.Timeout = compatReadTimeout
	var ne net.Error
	switch {
	case err == nil:
		return string(reply)
	case errors.As(err, &ne) && ne.Timeout():
		if !keepOnTimeout {
			s.drop(name)
		}
		return outTimeout
	case errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || isConnReset(err):
		s.drop(name)
		return outClosed
	default:
		s.drop(name)
		return "<" + err.Error() + ">"
	}
}

func isConnReset(err error) bool {
	return strings.Contains(err.Error(), "connection reset")
}

// scan runs a SCAN-family command from cursor 0 until the cursor is 0 again
// and returns the union of what it returned as a sorted array: keys or
// members once each; HSCAN and ZSCAN field/value pairs once each. An error
// reply, or anything not shaped like a SCAN reply, is returned as it is.
func (r *compatRun) scan(s *compatSide, st *compatStep) string {
	args := append([]string(nil), st.args...)
	pos := scanCursorPos(args)
	pairs := strings.EqualFold(args[0], "HSCAN") || strings.EqualFold(args[0], "ZSCAN")
	seen := map[string]bool{}
	for iter := 0; ; iter++ {
		if iter == compatMaxScan {
			return "<no end after " + strconv.Itoa(compatMaxScan) + " iterations>"
		}
		c, err := s.conn(st.conn)
		if err != nil {
			return "<" + err.Error() + ">"
		}
		if err := c.Send(args...); err != nil {
			s.drop(st.conn)
			return "<" + err.Error() + ">"
		}
		reply := r.read(s, st.conn, compatReadTimeout, false)
		hdr, elems, ok := splitAggregate(reply)
		if !ok || hdr[0] != '*' || len(elems) != 2 {
			return reply
		}
		cursor, ok := bulkText(elems[0])
		_, items, ok2 := splitAggregate(elems[1])
		if !ok || !ok2 || pairs && len(items)%2 != 0 {
			return reply
		}
		step := 1
		if pairs {
			step = 2
		}
		for i := 0; i < len(items); i += step {
			seen[strings.Join(items[i:i+step], "")] = true
		}
		if cursor == "0" {
			break
		}
		args[pos] = cursor
	}
	all := make([]string, 0, len(seen))
	for k := range seen {
		all = append(all, k)
	}
	sort.Strings(all)
	n := len(all)
	if pairs {
		n *= 2
	}
	return "*" + strconv.Itoa(n) + "\r\n" + strings.Join(all, "")
}

func (r *compatRun) mismatch(st *compatStep, what string, out [2]string) {
	r.failures++
	r.t.Errorf("%s: %s\n  %15s: %s\n  %15s: %s", st.where(), what,
		r.names[0], quoteReply(out[0]), r.names[1], quoteReply(out[1]))
}

func quoteReply(s string) string {
	if strings.HasPrefix(s, "<") {
		return s
	}
	if len(s) > compatQuoteMax {
		return fmt.Sprintf("%q... (%d bytes)", s[:compatQuoteMax], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// Reply normalization. Each normalizer leaves a reply it does not apply to
// (an error, a reply of another type, an outcome) unchanged, so that those
// are still compared exactly.

func normalizeReply(n normalizer, reply string) string {
	switch n.kind {
	case normSort:
		return sortAggregate(reply, false)
	case normSortPairs:
		return sortAggregate(reply, true)
	case normShape:
		return replyShape(reply)
	case normScanPage:
		hdr, elems, ok := splitAggregate(reply)
		if !ok || hdr != "*2\r\n" {
			return reply
		}
		cursor, ok := bulkText(elems[0])
		if !ok {
			return reply
		}
		if cursor != "0" {
			cursor = "<non-zero>"
		}
		return "*2\r\n" + cursor + "\r\n" + sortAggregate(elems[1], false)
	}
	return reply
}

// sortAggregate sorts the elements of an array, set or push reply, and the
// key/value pairs of a map, by their raw bytes. With pairs, an array is taken
// as a flat list of pairs (the RESP2 form of a map: HGETALL, CONFIG GET).
func sortAggregate(reply string, pairs bool) string {
	hdr, elems, ok := splitAggregate(reply)
	if !ok || pairs && len(elems)%2 != 0 {
		return reply
	}
	if hdr[0] == '%' || pairs {
		pairs := make([]string, 0, len(elems)/2)
		for i := 0; i+1 < len(elems); i += 2 {
			pairs = append(pairs, elems[i]+elems[i+1])
		}
		elems = pairs
	}
	sort.Strings(elems)
	return hdr + strings.Join(elems, "")
}

// replyShape reduces a reply to its type and structure: scalars become
// their type byte, aggregates keep their length and the shapes of their
// elements. Errors, simple strings, nulls and booleans stay exact.
func replyShape(reply string) string {
	if reply == "" || strings.HasPrefix(reply, "<") {
		return reply
	}
	switch reply[0] {
	case '$', '=', '!':
		if strings.HasPrefix(reply, "$-1\r\n") {
			return reply
		}
		return reply[:1]
	case ':', ',', '(':
		return reply[:1]
	case '*', '~', '%', '>':
		hdr, elems, ok := splitAggregate(reply)
		if !ok {
			return reply
		}
		parts := make([]string, len(elems))
		for i, e := range elems {
			parts[i] = replyShape(e)
		}
		return strings.TrimSuffix(hdr, "\r\n") + "[" + strings.Join(parts, " ") + "]"
	}
	return reply
}

// splitAggregate splits an aggregate reply into its header line and the
// raw bytes of each element (both of each pair, for a map).
func splitAggregate(reply string) (hdr string, elems []string, ok bool) {
	if reply == "" || !strings.ContainsRune("*~%>", rune(reply[0])) {
		return "", nil, false
	}
	eol := strings.Index(reply, "\r\n")
	if eol < 0 {
		return "", nil, false
	}
	n, err := strconv.Atoi(reply[1:eol])
	if err != nil || n < 0 {
		return "", nil, false
	}
	if reply[0] == '%' {
		n *= 2
	}
	b := []byte(reply[eol+2:])
	for i := 0; i < n; i++ {
		m, err := resp.ScanReply(b)
		if err != nil || m == 0 {
			return "", nil, false
		}
		elems = append(elems, string(b[:m]))
		b = b[m:]
	}
	if len(b) != 0 {
		return "", nil, false
	}
	return reply[:eol+2], elems, true
}

// bulkText returns the contents of a bulk string reply.
func bulkText(reply string) (string, bool) {
	if !strings.HasPrefix(reply, "$") {
		return "", false
	}
	eol := strings.Index(reply, "\r\n")
	if eol < 0 {
		return "", false
	}
	n, err := strconv.Atoi(reply[1:eol])
	if err != nil || n < 0 || len(reply) != eol+2+n+2 {
		return "", false
	}
	return reply[eol+2 : eol+2+n], true
}

// intsWithin reports whether a and b are both integer replies at most tol
// apart.
func intsWithin(a, b string, tol int64) bool {
	x, ok1 := intReply(a)
	y, ok2 := intReply(b)
	if !ok1 || !ok2 {
		return false
	}
	d := x - y
	return d <= tol && -d <= tol
}

func intReply(s string) (int64, bool) {
	if !strings.HasPrefix(s, ":") || !strings.HasSuffix(s, "\r\n") {
		return 0, false
	}
	n, err := strconv.ParseInt(s[1:len(s)-2], 10, 64)
	return n, err == nil
}

// TestCompatScriptParsing covers the script language itself, so that a bug
// in the runner cannot pass a script silently.
func TestCompatScriptParsing(t *testing.T) {
	words := func(line string) []string {
		ws, err := splitCompatArgs(line)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		var out []string
		for _, w := range ws {
			out = append(out, w.s)
		}
		return out
	}
	for line, want := range map[string][]string{
		`SET k v`:                      {"SET", "k", "v"},
		`  SET   "a b"  'c d'  `:       {"SET", "a b", "c d"},
		`SET "\x00\xff\n\r\t\"\\\q" x`: {"SET", "\x00\xff\n\r\t\"\\q", "x"},
		`SET 'it\'s' '\n'`:             {"SET", "it's", `\n`},
		`SET "" ''`:                    {"SET", "", ""},
		`SET a"b c"d`:                  nil, // closing quote not followed by space
		`SET k ${repeat:ab:3}`:         {"SET", "k", "ababab"},
		`SET k "${repeat:\x00:2}!"`:    {"SET", "k", "\x00\x00!"},
		`SET k ${repeat:a:b:2}`:        {"SET", "k", "a:ba:b"},
		`BITFIELD k GET u8 #1`:         {"BITFIELD", "k", "GET", "u8", "#1"},
	} {
		if want == nil {
			if _, err := splitCompatArgs(line); err == nil {
				t.Errorf("%q: no error", line)
			}
			continue
		}
		if got := words(line); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%q = %q, want %q", line, got, want)
		}
	}
	for _, bad := range []string{`SET "abc`, `!nosuch`, `!sleep`, `!sleep x`, `!approx`, `!sort !sleep 1s`,
		`!scan SCAN 5`, `=" a" b`, `@b`, `${repeat:x:99999999999}`} {
		if _, _, err := parseCompatLine(bad); err == nil {
			t.Errorf("%q parsed without error", bad)
		}
	}
	st, ok, err := parseCompatLine(`@b !sort !approx 2 SMEMBERS s`)
	if err != nil || !ok || st.conn != "b" || len(st.norms) != 2 || st.norms[1].n != 2 || st.args[0] != "SMEMBERS" {
		t.Errorf("prefixes: %+v %v %v", st, ok, err)
	}
	st, _, _ = parseCompatLine(`="-ERR syntax error"`)
	if string(st.raw) != "-ERR syntax error\r\n" {
		t.Errorf("quoted expectation: %q", st.raw)
	}
	st, _, _ = parseCompatLine(`=-ERR syntax error`)
	if string(st.raw) != "-ERR syntax error\r\n" {
		t.Errorf("plain expectation: %q", st.raw)
	}
	for in, want := range map[string]string{
		"*3\r\n$1\r\nb\r\n$1\r\na\r\n:1\r\n": "*3\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n",
		"%2\r\n+b\r\n:1\r\n+a\r\n:2\r\n":     "%2\r\n+a\r\n:2\r\n+b\r\n:1\r\n",
		"-ERR x\r\n":                         "-ERR x\r\n",
	} {
		if got := sortAggregate(in, false); got != want {
			t.Errorf("sort %q = %q, want %q", in, got, want)
		}
	}
	if got := sortAggregate("*4\r\n$1\r\nb\r\n:1\r\n$1\r\na\r\n:2\r\n", true); got != "*4\r\n$1\r\na\r\n:2\r\n$1\r\nb\r\n:1\r\n" {
		t.Errorf("sortpairs = %q", got)
	}
	if got := replyShape("*2\r\n$3\r\n123\r\n*1\r\n:5\r\n"); got != "*2[$ *1[:]]" {
		t.Errorf("shape = %q", got)
	}
	if got := normalizeReply(normalizer{kind: normScanPage}, "*2\r\n$2\r\n17\r\n*2\r\n$1\r\nb\r\n$1\r\na\r\n"); got != "*2\r\n<non-zero>\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n" {
		t.Errorf("scanpage = %q", got)
	}
	if !intsWithin(":100\r\n", ":99\r\n", 1) || intsWithin(":100\r\n", ":98\r\n", 1) || intsWithin("$1\r\n1\r\n", ":1\r\n", 5) {
		t.Error("intsWithin")
	}
	if !bytes.Equal([]byte(maskIDs([]byte("$2\r\nid\r\n:7\r\n"))), []byte("$2\r\nid\r\n:ID\r\n")) {
		t.Error("maskIDs")
	}
}

// compatRecorder collects what a run reports.
type compatRecorder struct{ errors, logs []string }

func (c *compatRecorder) Errorf(format string, args ...any) {
	c.errors = append(c.errors, fmt.Sprintf(format, args...))
}

func (c *compatRecorder) Logf(format string, args ...any) {
	c.logs = append(c.logs, fmt.Sprintf(format, args...))
}

// TestCompatRunnerReports runs a script against two redis-servers whose
// data differ and checks that exactly the differing steps are reported.
func TestCompatRunnerReports(t *testing.T) {
	a := redistest.Start(t, redistest.Options{})
	b := redistest.Start(t, redistest.Options{})
	b.Do(t, "SET", "x", "other")
	script := `# a runner self-check
SET y 1
GET x
=$-1
GET y
=:1
@b !send BLPOP l 0
@b !norecv 50ms
RPUSH l v
@b !recv
@b !recv 100ms
@b PING
!approx 1 DBSIZE
!sort KEYS *
!raw "PING\r\n"
!recv
!closed
PING
`
	path := filepath.Join(t.TempDir(), "self.txt")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	steps, err := parseCompatFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rec := &compatRecorder{}
	r := &compatRun{t: rec, maxFail: 0, names: [2]string{"a", "b"}}
	r.sides[0], r.sides[1] = newCompatSide(a.Addr), newCompatSide(b.Addr)
	defer r.sides[0].closeAll()
	defer r.sides[1].closeAll()
	r.run(steps)
	// Line 3: GET x differs. Line 4 is not reported again for b. Line 6: the
	// literal is wrong on both. Line 11: nothing pending. Line 14: KEYS
	// differ (x). Line 17: neither server closes.
	want := []int{3, 6, 11, 14, 17}
	var got []int
	for _, e := range rec.errors {
		rest := strings.TrimPrefix(e, filepath.ToSlash(path)+":")
		n, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ':')])
		got = append(got, n)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reported lines %v, want %v; reports:\n%s", got, want, strings.Join(rec.errors, "\n"))
	}
	if len(rec.logs) != 1 || !strings.Contains(rec.logs[0], "5 of 15 checks mismatch") {
		t.Errorf("summary: %q", rec.logs)
	}

	// The run stops at the limit.
	rec = &compatRecorder{}
	r = &compatRun{t: rec, maxFail: 2, names: [2]string{"a", "b"}}
	r.sides[0], r.sides[1] = newCompatSide(a.Addr), newCompatSide(b.Addr)
	defer r.sides[0].closeAll()
	defer r.sides[1].closeAll()
	r.run(steps)
	if len(rec.errors) != 3 || !strings.Contains(rec.errors[2], "stopping after 2 mismatches") {
		t.Errorf("with a limit of 2: %q", rec.errors)
	}
}
