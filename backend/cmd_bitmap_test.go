package backend

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestBitFieldOverflow compares random BITFIELD programs with Redis: every
// width, both signs, the three overflow modes, values and increments at
// and beyond the field limits, unaligned offsets and #n offsets.
func TestBitFieldOverflow(t *testing.T) {
	p := newDiffPair(t)
	rng := rand.New(rand.NewPCG(5, 6))
	edge := []int64{0, 1, -1, 2, -2, 127, 128, -128, -129, 255, 256, 1 << 31, -1 << 31,
		1<<62 - 1, 1 << 62, -1 << 62, 1<<63 - 1, -1 << 63}
	num := func() string {
		if rng.IntN(3) == 0 {
			return strconv.FormatInt(rng.Int64()>>rng.IntN(64), 10)
		}
		v := edge[rng.IntN(len(edge))]
		if rng.IntN(2) == 0 && v != -1<<63 && v != 1<<63-1 {
			v += int64(rng.IntN(3) - 1)
		}
		return strconv.FormatInt(v, 10)
	}
	var cmds [][]string
	for range 1500 {
		cmd := []string{"BITFIELD", "bf"}
		for range 1 + rng.IntN(4) {
			signed := rng.IntN(2) == 0
			var typ string
			if signed {
				typ = "i" + strconv.Itoa(1+rng.IntN(64))
			} else {
				typ = "u" + strconv.Itoa(1+rng.IntN(63))
			}
			off := strconv.Itoa(rng.IntN(80))
			if rng.IntN(5) == 0 {
				off = "#" + strconv.Itoa(rng.IntN(4))
			}
			switch rng.IntN(4) {
			case 0:
				cmd = append(cmd, "GET", typ, off)
			case 1:
				cmd = append(cmd, "SET", typ, off, num())
			case 2:
				cmd = append(cmd, "INCRBY", typ, off, num())
			default:
				cmd = append(cmd, "OVERFLOW", [...]string{"WRAP", "SAT", "FAIL"}[rng.IntN(3)])
			}
		}
		cmds = append(cmds, cmd)
		if rng.IntN(10) == 0 {
			cmds = append(cmds, []string{"GET", "bf"})
		}
		if rng.IntN(50) == 0 {
			cmds = append(cmds, []string{"DEL", "bf"})
		}
	}
	cmds = append(cmds, []string{"GET", "bf"})
	p.batch(t, cmds)
}

// TestBitPosRanges compares BITPOS and BITCOUNT with Redis on random
// strings and ranges in bytes and bits, where the edge bytes are partly
// inside the range.
func TestBitPosRanges(t *testing.T) {
	p := newDiffPair(t)
	rng := rand.New(rand.NewPCG(7, 8))
	bytesOf := []byte{0x00, 0xff, 0x0f, 0xf0, 0x80, 0x01, 0x7f, 0xfe}
	var cmds [][]string
	for range 300 {
		b := make([]byte, rng.IntN(24))
		fill := bytesOf[rng.IntN(len(bytesOf))]
		for i := range b {
			if rng.IntN(6) == 0 {
				b[i] = bytesOf[rng.IntN(len(bytesOf))]
			} else {
				b[i] = fill
			}
		}
		cmds = append(cmds, []string{"SET", "s", string(b)}, []string{"BITCOUNT", "s"},
			[]string{"BITPOS", "s", "0"}, []string{"BITPOS", "s", "1"})
		for range 8 {
			n := len(b)*8 + 4
			start := strconv.Itoa(rng.IntN(2*n) - n)
			end := strconv.Itoa(rng.IntN(2*n) - n)
			bit := strconv.Itoa(rng.IntN(2))
			cmds = append(cmds,
				[]string{"BITPOS", "s", bit, start},
				[]string{"BITPOS", "s", bit, start, end},
				[]string{"BITPOS", "s", bit, start, end, "BIT"},
				[]string{"BITPOS", "s", bit, start, end, "BYTE"},
				[]string{"BITCOUNT", "s", start, end},
				[]string{"BITCOUNT", "s", start, end, "BIT"})
		}
	}
	p.batch(t, cmds)
}

// TestBitOpValues compares BITOP with Redis on sources of mixed lengths.
func TestBitOpValues(t *testing.T) {
	p := newDiffPair(t)
	rng := rand.New(rand.NewPCG(9, 10))
	var cmds [][]string
	for range 200 {
		keys := []string{"a", "b", "c", "nosuch"}
		for _, k := range keys[:3] {
			cmds = append(cmds, []string{"SET", k, randWord(rng, "\x00\x01\xfe\xff\x55\xaa", 40)})
		}
		op := [...]string{"AND", "OR", "XOR"}[rng.IntN(3)]
		cmd := []string{"BITOP", op, "d"}
		for range 1 + rng.IntN(4) {
			cmd = append(cmd, keys[rng.IntN(len(keys))])
		}
		cmds = append(cmds, cmd, []string{"GET", "d"},
			[]string{"BITOP", "NOT", "d", keys[rng.IntN(len(keys))]}, []string{"GET", "d"})
	}
	p.batch(t, cmds)
}

func TestFindBitAndCount(t *testing.T) {
	p := []byte{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xff}
	if got := findBit(p, 0, int64(len(p))*8-1, 1); got != 95 {
		t.Errorf("first 1 = %d, want 95", got)
	}
	if got := findBit(p, 0, 94, 1); got != -1 {
		t.Errorf("first 1 before 95 = %d, want -1", got)
	}
	if got := findBit(p, 96, 103, 0); got != -1 {
		t.Errorf("first 0 in 0xff = %d, want -1", got)
	}
	if got := countBits(p, 95, 99); got != 5 {
		t.Errorf("count 95..99 = %d, want 5", got)
	}
	if got := countBits(p, 97, 97); got != 1 {
		t.Errorf("count 97..97 = %d, want 1", got)
	}
}
