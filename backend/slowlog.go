package backend

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/router"
)

// The slow log keeps, as Redis's does, the commands that took at least
// slowlog-log-slower-than microseconds, newest first, at most
// slowlog-max-len of them. Each keeps at most slowlogMaxArgc arguments of
// at most slowlogMaxString bytes.
const (
	slowlogMaxArgc   = 32
	slowlogMaxString = 128
)

type slowlog struct {
	mu      sync.Mutex
	entries []slowEntry // guarded by mu: oldest first
	nextID  int64       // guarded by mu: ids are never reused, even after RESET
}

type slowEntry struct {
	id       int64
	at       int64 // unix seconds
	duration int64 // microseconds
	args     []string
	peer     string
	name     string
}

// add logs a command that took us microseconds.
func (l *slowlog) add(c *server.Conn, rc *router.Command, args [][]byte, now time.Time, us int64, maxLen int) {
	args = redactArgs(rc, args)
	argc := min(len(args), slowlogMaxArgc)
	e := slowEntry{at: now.Unix(), duration: us, args: make([]string, argc), peer: c.RemoteAddr().String(), name: c.Name()}
	for j := range argc {
		if argc != len(args) && j == argc-1 {
			e.args[j] = "... (" + strconv.Itoa(len(args)-argc+1) + " more arguments)"
			break
		}
		a := args[j]
		if len(a) > slowlogMaxString {
			e.args[j] = string(a[:slowlogMaxString]) + "... (" + strconv.Itoa(len(a)-slowlogMaxString) + " more bytes)"
		} else {
			e.args[j] = string(a)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e.id = l.nextID
	l.nextID++
	l.entries = append(l.entries, e)
	if over := len(l.entries) - max(maxLen, 0); over > 0 {
		l.entries = slices.Delete(l.entries, 0, over)
	}
}

// redacted is what Redis shows in place of secrets in the slow log and to
// MONITOR clients.
const redacted = "(redacted)"

var redactedArg = []byte(redacted)

// redactArgs returns args with passwords replaced as Redis's
// redactClientCommandArgument does: AUTH's arguments, HELLO's AUTH pair
// and the values of sensitive CONFIG SET parameters. It returns args
// itself when nothing is secret.
func redactArgs(rc *router.Command, args [][]byte) [][]byte {
	var secret []int
	switch rc.Name {
	case "auth":
		if len(args) <= 3 {
			for i := 1; i < len(args); i++ {
				secret = append(secret, i)
			}
		}
	case "hello":
		// The options are read left to right, as HELLO reads them.
		for j := 2; j < len(args); j++ {
			more := len(args) - 1 - j
			switch {
			case cmdIs(args[j], "auth") && more >= 2:
				secret = append(secret, j+1, j+2)
				j += 2
			case cmdIs(args[j], "setname") && more >= 1:
				j++
			default:
				j = len(args)
			}
		}
	case "config|set":
		for i := 3; i < len(args); i += 2 {
			if cmdIs(args[i-1], "requirepass") || cmdIs(args[i-1], "masterauth") {
				secret = append(secret, i)
			}
		}
	}
	if len(secret) == 0 {
		return args
	}
	out := slices.Clone(args)
	for _, i := range secret {
		out[i] = redactedArg
	}
	return out
}

func slowlogCommands() commandSet {
	return commandSet{
		"slowlog|get":       {fn: cmdSlowlogGet, lock: lockNone},
		"slowlog|len":       {fn: cmdSlowlogLen, lock: lockNone},
		"slowlog|reset":     {fn: cmdSlowlogReset, lock: lockNone},
		"slowlog|help":      {fn: cmdSlowlogHelp, lock: lockNone},
		"latency|latest":    {fn: cmdLatencyLatest, lock: lockNone},
		"latency|history":   {fn: cmdLatencyHistory, lock: lockNone},
		"latency|reset":     {fn: cmdLatencyReset, lock: lockNone},
		"latency|graph":     {fn: cmdLatencyGraph, lock: lockNone},
		"latency|doctor":    {fn: cmdLatencyDoctor, lock: lockNone},
		"latency|histogram": {fn: cmdLatencyHistogram, lock: lockNone},
		"latency|help":      {fn: cmdLatencyHelp, lock: lockNone},
	}
}

func cmdSlowlogGet(x *Ctx) {
	if len(x.Args) > 3 {
		x.subcommandSyntaxError()
		return
	}
	l := &x.s.adm.slow
	l.mu.Lock()
	defer l.mu.Unlock()
	count := int64(10)
	if len(x.Args) == 3 {
		v, ok := parseInt(x.Args[2])
		if !ok || v < -1 {
			x.W.AppendError("ERR count should be greater than or equal to -1")
			return
		}
		count = v
		if v == -1 {
			count = int64(len(l.entries))
		}
	}
	n := int(min(count, int64(len(l.entries))))
	w := x.W
	w.AppendArray(n)
	for i := len(l.entries) - 1; i >= len(l.entries)-n; i-- {
		e := &l.entries[i]
		w.AppendArray(6)
		w.AppendInt(e.id)
		w.AppendInt(e.at)
		w.AppendInt(e.duration)
		w.AppendArray(len(e.args))
		for _, a := range e.args {
			w.AppendBulkString(a)
		}
		w.AppendBulkString(e.peer)
		w.AppendBulkString(e.name)
	}
}

func cmdSlowlogLen(x *Ctx) {
	l := &x.s.adm.slow
	l.mu.Lock()
	n := len(l.entries)
	l.mu.Unlock()
	x.W.AppendInt(int64(n))
}

func cmdSlowlogReset(x *Ctx) {
	l := &x.s.adm.slow
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
	x.W.AppendSimple("OK")
}

func cmdSlowlogHelp(x *Ctx) {
	appendHelp(x.W, "SLOWLOG", []string{
		"GET [<count>]",
		"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
		"    Entries are made of:",
		"    id, timestamp, time in microseconds, arguments array, client IP and port,",
		"    client name",
		"LEN",
		"    Return the length of the slowlog.",
		"RESET",
		"    Reset the slowlog.",
	})
}

// --- the latency monitor

// latencyTSLen is how many samples each latency event keeps (Redis's
// LATENCY_TS_LEN).
const latencyTSLen = 160

// latencyMonitor is Redis's latency monitor: per event, a ring of
// per-second maxima of the latencies (ms) that reached
// latency-monitor-threshold, and the all-time maximum.
type latencyMonitor struct {
	mu     sync.Mutex
	events map[string]*latencySeries // guarded by mu
}

type latencySeries struct {
	samples [latencyTSLen]latencySample
	idx     int
	max     int64
}

type latencySample struct {
	at      int64 // unix seconds; 0 for an unused slot
	latency int64 // ms
}

// add records a latency sample, merging it with the previous one when in
// the same second.
func (m *latencyMonitor) add(event string, now, latency int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.events == nil {
		m.events = make(map[string]*latencySeries)
	}
	ts := m.events[event]
	if ts == nil {
		ts = &latencySeries{}
		m.events[event] = ts
	}
	ts.max = max(ts.max, latency)
	prev := &ts.samples[(ts.idx+latencyTSLen-1)%latencyTSLen]
	if prev.at == now {
		prev.latency = max(prev.latency, latency)
		return
	}
	ts.samples[ts.idx] = latencySample{at: now, latency: latency}
	ts.idx = (ts.idx + 1) % latencyTSLen
}

// sortedEvents returns the event names in a stable order. mu is held.
func (m *latencyMonitor) sortedEventsLocked() []string {
	names := make([]string, 0, len(m.events))
	for n := range m.events {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ordered returns the used samples, oldest first. mu is held.
func (ts *latencySeries) ordered() []latencySample {
	var out []latencySample
	for j := range latencyTSLen {
		smp := ts.samples[(ts.idx+j)%latencyTSLen]
		if smp.at != 0 {
			out = append(out, smp)
		}
	}
	return out
}

func cmdLatencyLatest(x *Ctx) {
	m := &x.s.adm.lat
	m.mu.Lock()
	defer m.mu.Unlock()
	names := m.sortedEventsLocked()
	x.W.AppendArray(len(names))
	for _, n := range names {
		ts := m.events[n]
		last := ts.samples[(ts.idx+latencyTSLen-1)%latencyTSLen]
		x.W.AppendArray(4)
		x.W.AppendBulkString(n)
		x.W.AppendInt(last.at)
		x.W.AppendInt(last.latency)
		x.W.AppendInt(ts.max)
	}
}

func cmdLatencyHistory(x *Ctx) {
	m := &x.s.adm.lat
	m.mu.Lock()
	defer m.mu.Unlock()
	ts := m.events[string(x.Args[2])]
	if ts == nil {
		x.W.AppendArray(0)
		return
	}
	smps := ts.ordered()
	x.W.AppendArray(len(smps))
	for _, smp := range smps {
		x.W.AppendArray(2)
		x.W.AppendInt(smp.at)
		x.W.AppendInt(smp.latency)
	}
}

func cmdLatencyReset(x *Ctx) {
	m := &x.s.adm.lat
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	if len(x.Args) == 2 {
		n = len(m.events)
		m.events = nil
	} else {
		for _, ev := range x.Args[2:] {
			for name := range m.events {
				if strings.EqualFold(name, string(ev)) {
					delete(m.events, name)
					n++
				}
			}
		}
	}
	x.W.AppendInt(int64(n))
}

// latencyGraphCols is the width of LATENCY GRAPH.
const latencyGraphCols = 80

func cmdLatencyGraph(x *Ctx) {
	m := &x.s.adm.lat
	m.mu.Lock()
	ts := m.events[string(x.Args[2])]
	var smps []latencySample
	var allMax int64
	if ts != nil {
		smps, allMax = ts.ordered(), ts.max
	}
	m.mu.Unlock()
	if ts == nil {
		x.W.AppendError("ERR No samples available for event '" + string(x.Args[2]) + "'")
		return
	}
	x.W.AppendVerbatim("txt", latencyGraph(string(x.Args[2]), smps, allMax, time.Now().Unix()))
}

// latencyGraph draws LATENCY GRAPH's sparkline: four rows of "_o#|", then
// each sample's age as a vertical label.
func latencyGraph(event string, smps []latencySample, allMax, now int64) []byte {
	var lo, hi int64
	labels := make([]string, len(smps))
	for i, smp := range smps {
		if i == 0 {
			lo, hi = smp.latency, smp.latency
		}
		lo, hi = min(lo, smp.latency), max(hi, smp.latency)
		el := now - smp.at
		switch {
		case el < 60:
			labels[i] = strconv.FormatInt(el, 10) + "s"
		case el < 3600:
			labels[i] = strconv.FormatInt(el/60, 10) + "m"
		case el < 86400:
			labels[i] = strconv.FormatInt(el/3600, 10) + "h"
		default:
			labels[i] = strconv.FormatInt(el/86400, 10) + "d"
		}
	}
	out := []byte(event + " - high " + strconv.FormatInt(hi, 10) + " ms, low " + strconv.FormatInt(lo, 10) +
		" ms (all time high " + strconv.FormatInt(allMax, 10) + " ms)\n")
	out = append(out, strings.Repeat("-", latencyGraphCols)...)
	out = append(out, '\n')
	for j := 0; j < len(smps); j += latencyGraphCols {
		if j != 0 {
			out = append(out, '\n')
		}
		n := min(len(smps)-j, latencyGraphCols)
		out = sparkline(out, smps, labels, lo, hi, j, n)
	}
	return out
}

// sparkline renders samples [off, off+n) as Redis's sparklineRenderRange
// does with four rows and fill.
func sparkline(out []byte, smps []latencySample, labels []string, lo, hi int64, off, n int) []byte {
	const rows, charsetLen = 4, 3
	const fill = "_o#"
	rel := float64(hi - lo)
	if rel == 0 {
		rel = 1
	}
	steps := charsetLen * rows
	chars := make([]byte, n)
	for row := 0; ; row++ {
		more := false
		for j := range chars {
			chars[j] = ' '
		}
		for j := range n {
			idx := off + j
			step := int(float64(int((float64(smps[idx].latency-lo))*float64(steps))) / rel)
			step = max(0, min(step, steps-1))
			if row < rows {
				more = true
				ci := step - (rows-row-1)*charsetLen
				switch {
				case ci >= 0 && ci < charsetLen:
					chars[j] = fill[ci]
				case ci >= charsetLen:
					chars[j] = '|'
				}
				continue
			}
			// One blank line between the graph and the labels.
			if row-rows < 1 {
				more = true
				break
			}
			lc := row - rows - 1
			if l := labels[idx]; len(l) > lc {
				more = true
				chars[j] = l[lc]
			}
		}
		if !more {
			return out
		}
		out = append(out, chars...)
		out = append(out, '\n')
	}
}

func cmdLatencyDoctor(x *Ctx) {
	x.W.AppendVerbatim("txt", []byte(x.s.latencyReport(time.Now().Unix())))
}

// latencyReport is Redis's createLatencyReport for the events keyslot
// records.
func (s *Server) latencyReport(now int64) string {
	cfg := s.adminConfig()
	m := &s.adm.lat
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.events) == 0 && cfg.latencyMonitorThreshold == 0 {
		return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
	}
	var b strings.Builder
	var slowlogTuning, slowlogEnable, slowlogInspect, largeObjects, scheduler bool
	advices := 0
	for i, name := range m.sortedEventsLocked() {
		ts := m.events[name]
		if i == 0 {
			b.WriteString("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n")
		}
		smps := ts.ordered()
		var sum, oldest int64
		for _, smp := range smps {
			sum += smp.latency
			if oldest == 0 || smp.at < oldest {
				oldest = smp.at
			}
		}
		var avg, mad, period int64
		if len(smps) > 0 {
			avg = sum / int64(len(smps))
			period = max(now-oldest, 1)
			var dev int64
			for _, smp := range smps {
				d := avg - smp.latency
				if d < 0 {
					d = -d
				}
				dev += d
			}
			mad = dev / int64(len(smps))
		}
		b.WriteString(strconv.Itoa(i+1) + ". " + name + ": " + strconv.Itoa(len(smps)) +
			" latency spikes (average " + strconv.FormatInt(avg, 10) + "ms, mean deviation " +
			strconv.FormatInt(mad, 10) + "ms, period " +
			strconv.FormatFloat(float64(period)/float64(max(len(smps), 1)), 'f', 2, 64) +
			" sec). Worst all time event " + strconv.FormatInt(ts.max, 10) + "ms.")
		switch name {
		case "command":
			if cfg.slowlogLogSlowerThan < 0 {
				slowlogEnable = true
				advices++
			} else if cfg.slowlogLogSlowerThan/1000 > cfg.latencyMonitorThreshold {
				slowlogTuning = true
				advices++
			}
			slowlogInspect, largeObjects = true, true
			advices += 2
		case "fast-command":
			scheduler = true
			advices++
		}
		b.WriteString("\n")
	}
	if len(m.events) == 0 && advices == 0 {
		b.WriteString("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n")
		return b.String()
	}
	if advices == 0 {
		b.WriteString("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n")
		return b.String()
	}
	thr := strconv.FormatInt(cfg.latencyMonitorThreshold*1000, 10)
	b.WriteString("\nI have a few advices for you:\n\n")
	if slowlogEnable {
		b.WriteString("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than " + thr + "'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n")
	}
	if slowlogTuning {
		b.WriteString("- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than " + thr + "'.\n")
	}
	if slowlogInspect {
		b.WriteString("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n")
	}
	if scheduler {
		b.WriteString("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
			"  1) Lower the system load.\n" +
			"  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
			"  3) Check if you have a \"noisy neighbour\" problem.\n" +
			"  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
			"  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n")
	}
	if largeObjects {
		b.WriteString("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n")
	}
	return b.String()
}

func cmdLatencyHistogram(x *Ctx) {
	a := x.s.admin()
	// The histograms are taken once: CONFIG RESETSTAT may drop them
	// meanwhile.
	type entry struct {
		rc *router.Command
		h  *latencyHist
	}
	var list []entry
	add := func(rc *router.Command) {
		if st := a.cmds[rc]; st != nil {
			if h := st.hist.Load(); h != nil && h.total.Load() > 0 {
				list = append(list, entry{rc, h})
			}
		}
	}
	if len(x.Args) == 2 {
		for _, rc := range a.sortedStats() {
			add(rc)
		}
	} else {
		// As in Redis, a name given twice is answered twice, and a
		// container stands for itself and its subcommands.
		for _, name := range x.Args[2:] {
			if rc := a.table.ByName(name); rc != nil {
				add(rc)
				for _, sub := range rc.Subcommands {
					add(sub)
				}
			}
		}
	}
	w := x.W
	w.AppendMap(len(list))
	for _, e := range list {
		w.AppendBulkString(e.rc.Name)
		w.AppendMap(2)
		w.AppendBulkString("calls")
		w.AppendInt(e.h.total.Load())
		w.AppendBulkString("histogram_usec")
		cdf := e.h.cdf()
		w.AppendMap(len(cdf))
		for _, p := range cdf {
			w.AppendInt(p[0])
			w.AppendInt(p[1])
		}
	}
}

func cmdLatencyHelp(x *Ctx) {
	appendHelp(x.W, "LATENCY", []string{
		"DOCTOR",
		"    Return a human readable latency analysis report.",
		"GRAPH <event>",
		"    Return an ASCII latency graph for the <event> class.",
		"HISTORY <event>",
		"    Return time-latency samples for the <event> class.",
		"LATEST",
		"    Return the latest latency samples for all events.",
		"RESET [<event> ...]",
		"    Reset latency data of one or more <event> classes.",
		"    (default: reset all data for all event classes)",
		"HISTOGRAM [COMMAND ...]",
		"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
		"    If no commands are specified then all histograms are replied.",
	})
}

// --- per-command latency histograms

// latencyHist is a per-command latency histogram laid out as Redis's
// HdrHistogram (lowest value 1ns, highest 1s, two significant digits), so
// that LATENCY HISTOGRAM and INFO latencystats report the same bucket
// boundaries and percentile values. Counts are atomic: commands record
// from many goroutines.
type latencyHist struct {
	total  atomic.Int64
	counts [histCountsLen]atomic.Int64
}

// HdrHistogram geometry for lowest 1, highest 1e9, 2 significant digits:
// 256 sub-buckets, 23 buckets of which each but the first uses its upper
// half.
const (
	histSubBucketHalfMag = 7
	histSubBucketHalf    = 1 << histSubBucketHalfMag
	histSubBucketMask    = 2*histSubBucketHalf - 1
	histBuckets          = 23
	histCountsLen        = (histBuckets + 1) * histSubBucketHalf
	histHighest          = 1_000_000_000
)

func newLatencyHist() *latencyHist { return &latencyHist{} }

func histIndex(v int64) int {
	b := 64 - bits.LeadingZeros64(uint64(v)|histSubBucketMask) - (histSubBucketHalfMag + 1)
	sb := int(v >> uint(b))
	return (b+1)<<histSubBucketHalfMag + sb - histSubBucketHalf
}

// histValue is the lowest value counted at index i.
func histValue(i int) int64 {
	b := i>>histSubBucketHalfMag - 1
	sb := i&(histSubBucketHalf-1) + histSubBucketHalf
	if b < 0 {
		sb -= histSubBucketHalf
		b = 0
	}
	return int64(sb) << uint(b)
}

// histHighestEquivalent is the highest value counted with v.
func histHighestEquivalent(v int64) int64 {
	b := 64 - bits.LeadingZeros64(uint64(v)|histSubBucketMask) - (histSubBucketHalfMag + 1)
	sb := v >> uint(b)
	return sb<<uint(b) + 1<<uint(b) - 1
}

// record counts one latency of ns nanoseconds, clamped to [1ns, 1s].
func (h *latencyHist) record(ns int64) {
	ns = max(1, min(ns, histHighest))
	h.counts[histIndex(ns)].Add(1)
	h.total.Add(1)
}

// valueAtPercentile is hdr_value_at_percentile: the highest value
// equivalent to the one below which p percent of the counts fall.
func (h *latencyHist) valueAtPercentile(p float64) int64 {
	total := h.total.Load()
	want := int64(min(p, 100)/100*float64(total) + 0.5)
	want = max(want, 1)
	var sum int64
	for i := range h.counts {
		sum += h.counts[i].Load()
		if sum >= want {
			return histHighestEquivalent(histValue(i))
		}
	}
	return 0
}

// cdf is LATENCY HISTOGRAM's histogram_usec: at each power of two from
// 1024ns, the highest equivalent value in microseconds and the count of
// latencies up to it, where that count grew.
func (h *latencyHist) cdf() [][2]int64 {
	var out [][2]int64
	var cum, prev int64
	i := 0
	total := h.total.Load()
	for level := int64(1024); ; level *= 2 {
		li := histIndex(level)
		if li >= histCountsLen {
			break
		}
		for ; i <= li; i++ {
			cum += h.counts[i].Load()
		}
		if cum > prev {
			out = append(out, [2]int64{histHighestEquivalent(level) / 1000, cum})
			prev = cum
		}
		if cum >= total {
			return out
		}
	}
	for ; i < histCountsLen; i++ {
		cum += h.counts[i].Load()
	}
	if cum > prev {
		out = append(out, [2]int64{histHighestEquivalent(histValue(histCountsLen-1)) / 1000, cum})
	}
	return out
}
