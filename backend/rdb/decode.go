package rdb

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
)

// Decoder reads RDB-encoded values from a byte slice with a cursor. It
// never panics and never allocates more than a constant factor of its
// input, whatever the input: every length is checked against the bytes
// present before it is used.
//
// Strings and objects it returns alias its input (and buffers of its own
// for decompressed or integer-encoded data); copy the input first if it
// will be reused.
type Decoder struct {
	buf   []byte
	off   int
	arena []byte // backing store for integers turned into strings
}

// NewDecoder returns a decoder reading b from its start.
func NewDecoder(b []byte) *Decoder { return &Decoder{buf: b} }

// Offset returns how many bytes have been consumed.
func (d *Decoder) Offset() int { return d.off }

// Len returns how many bytes are left.
func (d *Decoder) Len() int { return len(d.buf) - d.off }

func (d *Decoder) fail(reason string) error {
	return &FormatError{Offset: d.off, Reason: reason}
}

// ReadByte reads one byte, such as an object type or an RDB opcode.
func (d *Decoder) ReadByte() (byte, error) {
	if d.off >= len(d.buf) {
		return 0, d.fail("unexpected end of data")
	}
	b := d.buf[d.off]
	d.off++
	return b, nil
}

// ReadBytes reads n raw bytes. The result aliases the input.
func (d *Decoder) ReadBytes(n int) ([]byte, error) {
	if n < 0 || n > d.Len() {
		return nil, d.fail("unexpected end of data")
	}
	b := d.buf[d.off : d.off+n : d.off+n]
	d.off += n
	return b, nil
}

// readLen reads a length; when encoded is true n is instead a special
// string encoding.
func (d *Decoder) readLen() (n uint64, encoded bool, err error) {
	b, err := d.ReadByte()
	if err != nil {
		return 0, false, err
	}
	switch b >> 6 {
	case len6:
		return uint64(b & 0x3F), false, nil
	case len14:
		c, err := d.ReadByte()
		if err != nil {
			return 0, false, err
		}
		return uint64(b&0x3F)<<8 | uint64(c), false, nil
	case encVal:
		return uint64(b & 0x3F), true, nil
	}
	switch b {
	case len32:
		p, err := d.ReadBytes(4)
		if err != nil {
			return 0, false, err
		}
		return uint64(binary.BigEndian.Uint32(p)), false, nil
	case len64:
		p, err := d.ReadBytes(8)
		if err != nil {
			return 0, false, err
		}
		return binary.BigEndian.Uint64(p), false, nil
	}
	d.off--
	return 0, false, d.fail("unknown length encoding")
}

// ReadLen reads a length or count. Like Redis, it reads a special-encoding
// byte (11xxxxxx) as the 6-bit length in its low bits.
func (d *Decoder) ReadLen() (uint64, error) {
	n, _, err := d.readLen()
	return n, err
}

// ReadString reads a string in any of its encodings: verbatim, an 8, 16 or
// 32-bit integer, or LZF-compressed.
func (d *Decoder) ReadString() ([]byte, error) {
	n, encoded, err := d.readLen()
	if err != nil {
		return nil, err
	}
	if !encoded {
		if n > uint64(d.Len()) {
			return nil, d.fail("string past the end of data")
		}
		return d.ReadBytes(int(n))
	}
	switch n {
	case encInt8:
		p, err := d.ReadBytes(1)
		if err != nil {
			return nil, err
		}
		return d.intString(int64(int8(p[0]))), nil
	case encInt16:
		p, err := d.ReadBytes(2)
		if err != nil {
			return nil, err
		}
		return d.intString(int64(int16(binary.LittleEndian.Uint16(p)))), nil
	case encInt32:
		p, err := d.ReadBytes(4)
		if err != nil {
			return nil, err
		}
		return d.intString(int64(int32(binary.LittleEndian.Uint32(p)))), nil
	case encLZF:
		return d.readLZF()
	}
	d.off--
	return nil, d.fail("unknown string encoding")
}

func (d *Decoder) readLZF() ([]byte, error) {
	clen, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	ulen, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	if clen > uint64(d.Len()) {
		return nil, d.fail("compressed string past the end of data")
	}
	start := d.off
	src, _ := d.ReadBytes(int(clen))
	if ulen == 0 {
		// Redis accepts any data declared to decompress to nothing.
		return []byte{}, nil
	}
	if ulen > clen*lzfMaxRatio {
		return nil, &FormatError{Offset: start, Reason: "LZF string longer than its data can expand to"}
	}
	out, err := lzfDecompress(nil, src, int(ulen))
	if err != nil {
		return nil, &FormatError{Offset: start, Reason: "invalid LZF compressed string", Err: err}
	}
	return out[:len(out):len(out)], nil
}

// intString returns the decimal form of v in memory of the decoder's own.
func (d *Decoder) intString(v int64) []byte {
	if cap(d.arena)-len(d.arena) < maxIntLen {
		d.arena = make([]byte, 0, min(max(2*cap(d.arena), 64), 4096))
	}
	start := len(d.arena)
	d.arena = strconv.AppendInt(d.arena, v, 10)
	return d.arena[start:len(d.arena):len(d.arena)]
}

func (d *Decoder) entryBytes(e lpEntry) []byte {
	if e.isInt {
		return d.intString(e.ival)
	}
	return e.str
}

// walk validates a listpack (or a ziplist when zip is set) and calls fn
// for each entry with its index. It returns the number of entries.
func (d *Decoder) walk(blob []byte, zip bool, fn func(i int, e lpEntry) bool) (int, error) {
	// Blobs are walked right after they are read, so the cursor is just
	// past the bad one.
	var (
		lr     lpReader
		zr     zlReader
		reason string
	)
	if zip {
		zr, reason = newZLReader(blob)
	} else {
		lr, reason = newLPReader(blob)
	}
	if reason != "" {
		return 0, d.fail(reason)
	}
	i := 0
	for ; ; i++ {
		var (
			e    lpEntry
			done bool
		)
		if zip {
			e, done, reason = zr.next()
		} else {
			e, done, reason = lr.next()
		}
		if reason != "" {
			return 0, d.fail(reason)
		}
		if done {
			break
		}
		if !fn(i, e) {
			return 0, d.fail("invalid entry")
		}
	}
	if zip {
		reason = zr.finish()
	} else {
		reason = lr.finish()
	}
	if reason != "" {
		return 0, d.fail(reason)
	}
	return i, nil
}

// entriesHint returns how many entries a listpack (or ziplist) says it
// holds, bounded by its size since the header is not validated yet, to
// size slices before walking it.
func entriesHint(blob []byte, zip bool) int {
	if zip {
		if len(blob) <= zlHeaderSize {
			return 0
		}
		return min(int(binary.LittleEndian.Uint16(blob[8:])), (len(blob)-zlHeaderSize-1)/2)
	}
	if len(blob) < lpEmptySize {
		return 0
	}
	return min(int(binary.LittleEndian.Uint16(blob[4:])), (len(blob)-lpEmptySize)/2)
}

// capFor bounds a preallocation for n items by the bytes left, since each
// item takes at least one byte.
func (d *Decoder) capFor(n uint64) int {
	return int(min(n, uint64(d.Len())))
}

func (d *Decoder) readStrings(n uint64) ([][]byte, error) {
	out := make([][]byte, 0, d.capFor(n))
	for range n {
		s, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// readCount reads the element count of a collection, which Redis never
// saves empty.
func (d *Decoder) readCount(what string) (uint64, error) {
	n, err := d.ReadLen()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, d.fail("empty " + what)
	}
	return n, nil
}

// ReadObject reads the value of an object of RDB type typ (the byte that
// precedes it). It accepts every encoding of strings, lists, sets, sorted
// sets and hashes that Redis 7.0 loads and validates it deeply: containers
// must be well formed, counts must match, sets, hashes and sorted sets may
// not repeat a member, scores may not be NaN, and collections may not be
// empty. Streams and module values are reported as ErrUnsupportedType.
func (d *Decoder) ReadObject(typ byte) (*Object, error) {
	switch typ {
	case TypeString:
		s, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		return &Object{Kind: KindString, Str: s}, nil
	case TypeList:
		n, err := d.readCount("list")
		if err != nil {
			return nil, err
		}
		l, err := d.readStrings(n)
		if err != nil {
			return nil, err
		}
		return &Object{Kind: KindList, List: l}, nil
	case TypeSet:
		n, err := d.readCount("set")
		if err != nil {
			return nil, err
		}
		s, err := d.readStrings(n)
		if err != nil {
			return nil, err
		}
		return d.setObject(s)
	case TypeZSet, TypeZSet2:
		return d.readZSet(typ)
	case TypeHash:
		return d.readHash()
	case TypeListQuicklist, TypeListQuicklist2:
		return d.readQuicklist(typ)
	case TypeHashZipmap:
		blob, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		fields, reason := zipmapPairs(blob, nil)
		if reason != "" {
			return nil, d.fail(reason)
		}
		return d.hashObject(fields)
	case TypeListZiplist:
		blob, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		l := make([][]byte, 0, entriesHint(blob, true))
		if _, err := d.walk(blob, true, func(_ int, e lpEntry) bool {
			l = append(l, d.entryBytes(e))
			return true
		}); err != nil {
			return nil, err
		}
		if len(l) == 0 {
			return nil, d.fail("empty list")
		}
		return &Object{Kind: KindList, List: l}, nil
	case TypeSetIntset:
		return d.readIntset()
	case TypeZSetZiplist, TypeZSetListpack:
		return d.readZSetPairs(typ == TypeZSetZiplist)
	case TypeHashZiplist, TypeHashListpack:
		return d.readHashPairs(typ == TypeHashZiplist)
	case TypeModule, TypeModule2, TypeStreamListpacks, TypeStreamListpacks2:
		return nil, &FormatError{Offset: d.off, Reason: "type " + strconv.Itoa(int(typ)) + " not supported", Err: ErrUnsupportedType}
	}
	return nil, d.fail("unknown object type " + strconv.Itoa(int(typ)))
}

func (d *Decoder) setObject(s [][]byte) (*Object, error) {
	if hasDuplicate(s, func(m *[]byte) []byte { return *m }) {
		return nil, d.fail("duplicate set members")
	}
	return &Object{Kind: KindSet, Set: s}, nil
}

func (d *Decoder) hashObject(fields []Field) (*Object, error) {
	if hasDuplicate(fields, func(f *Field) []byte { return f.Name }) {
		return nil, d.fail("duplicate hash fields")
	}
	return &Object{Kind: KindHash, Hash: fields}, nil
}

func (d *Decoder) zsetObject(zs []Member) (*Object, error) {
	if hasDuplicate(zs, func(m *Member) []byte { return m.Member }) {
		return nil, d.fail("duplicate sorted set members")
	}
	return &Object{Kind: KindZSet, ZSet: zs}, nil
}

func (d *Decoder) readZSet(typ byte) (*Object, error) {
	n, err := d.readCount("sorted set")
	if err != nil {
		return nil, err
	}
	zs := make([]Member, 0, d.capFor(n))
	for range n {
		m, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		var score float64
		if typ == TypeZSet2 {
			p, err := d.ReadBytes(8)
			if err != nil {
				return nil, err
			}
			score = math.Float64frombits(binary.LittleEndian.Uint64(p))
		} else if score, err = d.readTextDouble(); err != nil {
			return nil, err
		}
		if math.IsNaN(score) {
			return nil, d.fail("NaN score")
		}
		zs = append(zs, Member{Member: m, Score: score})
	}
	return d.zsetObject(zs)
}

// readTextDouble reads a score as RDB_TYPE_ZSET stores it: a length byte
// (253 NaN, 254 +inf, 255 -inf) and that many bytes of text.
func (d *Decoder) readTextDouble() (float64, error) {
	l, err := d.ReadByte()
	if err != nil {
		return 0, err
	}
	switch l {
	case 253:
		return math.NaN(), nil
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	p, err := d.ReadBytes(int(l))
	if err != nil {
		return 0, err
	}
	f, ok := parseScore(p)
	if !ok {
		return 0, d.fail("invalid score")
	}
	return f, nil
}

func (d *Decoder) readHash() (*Object, error) {
	n, err := d.readCount("hash")
	if err != nil {
		return nil, err
	}
	fields := make([]Field, 0, d.capFor(n))
	for range n {
		name, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		value, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		fields = append(fields, Field{Name: name, Value: value})
	}
	return d.hashObject(fields)
}

func (d *Decoder) readQuicklist(typ byte) (*Object, error) {
	n, err := d.readCount("list")
	if err != nil {
		return nil, err
	}
	// Read every node first, so that the list is allocated once: the
	// listpack headers say how many entries follow (bounded by their
	// sizes, since the headers are not validated yet).
	type node struct {
		data  []byte
		plain bool
	}
	nodes := make([]node, 0, d.capFor(n))
	total := 0
	for range n {
		container := uint64(containerPacked)
		if typ == TypeListQuicklist2 {
			if container, err = d.ReadLen(); err != nil {
				return nil, err
			}
			if container != containerPlain && container != containerPacked {
				return nil, d.fail("invalid quicklist node container")
			}
		}
		data, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		if len(data) == 0 {
			return nil, d.fail("empty quicklist node")
		}
		plain := container == containerPlain
		nodes = append(nodes, node{data: data, plain: plain})
		switch {
		case plain:
			total++
		default:
			total += entriesHint(data, typ == TypeListQuicklist)
		}
	}
	l := make([][]byte, 0, total)
	for _, nd := range nodes {
		if nd.plain {
			l = append(l, nd.data)
			continue
		}
		// Empty nodes are skipped, as Redis does.
		if _, err := d.walk(nd.data, typ == TypeListQuicklist, func(_ int, e lpEntry) bool {
			l = append(l, d.entryBytes(e))
			return true
		}); err != nil {
			return nil, err
		}
	}
	if len(l) == 0 {
		return nil, d.fail("empty list")
	}
	return &Object{Kind: KindList, List: l}, nil
}

func (d *Decoder) readIntset() (*Object, error) {
	blob, err := d.ReadString()
	if err != nil {
		return nil, err
	}
	r, reason := newIntsetReader(blob)
	if reason != "" {
		return nil, d.fail(reason)
	}
	set := make([][]byte, 0, r.n)
	for {
		v, ok, reason := r.next()
		if reason != "" {
			return nil, d.fail(reason)
		}
		if !ok {
			break
		}
		set = append(set, d.intString(v))
	}
	return &Object{Kind: KindSet, Set: set}, nil
}

func (d *Decoder) readZSetPairs(zip bool) (*Object, error) {
	blob, err := d.ReadString()
	if err != nil {
		return nil, err
	}
	zs := make([]Member, 0, entriesHint(blob, zip)/2)
	n, err := d.walk(blob, zip, func(i int, e lpEntry) bool {
		if i%2 == 0 {
			zs = append(zs, Member{Member: d.entryBytes(e)})
			return true
		}
		score := float64(e.ival)
		if !e.isInt {
			var ok bool
			if score, ok = parseScore(e.str); !ok {
				return false
			}
		}
		zs[len(zs)-1].Score = score
		return !math.IsNaN(score)
	})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, d.fail("empty sorted set")
	}
	if n%2 != 0 {
		return nil, d.fail("sorted set member without a score")
	}
	return d.zsetObject(zs)
}

func (d *Decoder) readHashPairs(zip bool) (*Object, error) {
	blob, err := d.ReadString()
	if err != nil {
		return nil, err
	}
	fields := make([]Field, 0, entriesHint(blob, zip)/2)
	n, err := d.walk(blob, zip, func(i int, e lpEntry) bool {
		if i%2 == 0 {
			fields = append(fields, Field{Name: d.entryBytes(e)})
		} else {
			fields[len(fields)-1].Value = d.entryBytes(e)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, d.fail("empty hash")
	}
	if n%2 != 0 {
		return nil, d.fail("hash field without a value")
	}
	return d.hashObject(fields)
}

// hasDuplicate reports whether two items have the same key. Rather than
// build a map (one allocation per key) it sorts the keys' hashes, under a
// seed of its own so that input cannot be crafted to collide, and compares
// bytes only where hashes are equal.
func hasDuplicate[T any](items []T, key func(*T) []byte) bool {
	n := len(items)
	if n <= 8 {
		for i := 1; i < n; i++ {
			for j := range i {
				if bytes.Equal(key(&items[i]), key(&items[j])) {
					return true
				}
			}
		}
		return false
	}
	type hashed struct {
		h uint64
		i int
	}
	seed := maphash.MakeSeed()
	hs := make([]hashed, n)
	for i := range items {
		hs[i] = hashed{maphash.Bytes(seed, key(&items[i])), i}
	}
	slices.SortFunc(hs, func(a, b hashed) int { return cmp.Compare(a.h, b.h) })
	for i := 1; i < n; i++ {
		for j := i - 1; j >= 0 && hs[j].h == hs[i].h; j-- {
			if bytes.Equal(key(&items[hs[i].i]), key(&items[hs[j].i])) {
				return true
			}
		}
	}
	return false
}

// Restore parses a DUMP payload: it checks the footer (ErrBadPayload when
// the payload is too short, its RDB version is newer than 10 or its CRC is
// wrong) and decodes the object (ErrBadFormat when it is malformed or of a
// type this package does not load). The errors are exactly those sentinels,
// whose texts are Redis's replies to RESTORE. The returned Object shares no
// memory with payload.
//
// Like Redis it ignores bytes between the object and the footer. Unlike
// Redis it does not let the object run on into the footer's bytes, and it
// always validates as deeply as Redis does with sanitize-dump-payload yes.
func Restore(payload []byte) (*Object, error) {
	body, err := checkFooter(payload)
	if err != nil {
		return nil, err
	}
	d := NewDecoder(bytes.Clone(body))
	typ, err := d.ReadByte()
	if err != nil || !IsObjectType(typ) {
		return nil, ErrBadFormat
	}
	o, err := d.ReadObject(typ)
	if err != nil {
		return nil, ErrBadFormat
	}
	return o, nil
}

// checkFooter verifies a DUMP payload's RDB version and checksum and
// returns the serialized object before them.
func checkFooter(payload []byte) ([]byte, error) {
	n := len(payload)
	if n < 10 {
		return nil, ErrBadPayload
	}
	if binary.LittleEndian.Uint16(payload[n-10:]) > Version {
		return nil, ErrBadPayload
	}
	if CRC64(0, payload[:n-8]) != binary.LittleEndian.Uint64(payload[n-8:]) {
		return nil, ErrBadPayload
	}
	return payload[:n-10], nil
}
