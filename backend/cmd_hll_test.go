package backend

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestHLLCommands runs random PFADD / PFCOUNT / PFMERGE traffic on a few
// keys against Redis and compares every reply and the bytes of every
// value, through sparse growth, promotion to dense and merges both ways.
func TestHLLCommands(t *testing.T) {
	p := newDiffPair(t)
	rng := rand.New(rand.NewPCG(11, 12))
	keys := []string{"h1", "h2", "h3", "nosuch"}
	key := func() string { return keys[rng.IntN(len(keys))] }
	var cmds [][]string
	for range 600 {
		switch rng.IntN(6) {
		case 0, 1, 2:
			cmd := []string{"PFADD", keys[rng.IntN(3)]}
			for range rng.IntN(40) {
				cmd = append(cmd, "e"+strconv.Itoa(rng.IntN(5000)))
			}
			cmds = append(cmds, cmd)
		case 3:
			cmds = append(cmds, []string{"PFCOUNT", key()})
		case 4:
			cmds = append(cmds, []string{"PFCOUNT", key(), key(), key()})
		default:
			cmds = append(cmds, []string{"PFMERGE", keys[rng.IntN(3)], key(), key()})
		}
		for _, k := range keys[:3] {
			cmds = append(cmds, []string{"GET", k})
		}
	}
	p.batch(t, cmds)
}

// TestConfigLimits checks that the string commands follow
// hll-sparse-max-bytes and proto-max-bulk-len as changed by CONFIG SET.
func TestConfigLimits(t *testing.T) {
	p := newDiffPair(t)
	p.sameBatch(t,
		"CONFIG SET hll-sparse-max-bytes 60",
		"PFADD h a b c d e f g h i j k l m n o p q r s t u v w x y z", "STRLEN h", "PFCOUNT h",
		"CONFIG SET proto-max-bulk-len 1048576",
		"SETRANGE s 1048575 x", "SETRANGE s 1048576 x", "SETRANGE s 1048575 xy", "STRLEN s",
		"APPEND s y", "SETBIT b 8388607 1", "SETBIT b 8388608 1", "GETBIT b 8388608",
		"BITFIELD b GET u8 8388600", "BITFIELD b GET u8 8388608", "BITFIELD b GET u8 #1048575",
		"SET x 0123456789012345678901234567890123456789012345678901234567890123456789",
		"SET y 0123456789012345678901234567890123456789012345678901234567890123456789",
		"LCS x y LEN",
	)
	big := make([]byte, 600)
	for i := range big {
		big[i] = 'a' + byte(i%7)
	}
	p.batch(t, [][]string{{"MSET", "x", string(big), "y", string(big[:500])}, {"LCS", "x", "y", "LEN"},
		{"MSET", "x", string(big[:510])}, {"LCS", "x", "y", "LEN"}})
}
