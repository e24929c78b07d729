package router

import (
	"errors"
	"slices"

	"github.com/keyslot/keyslot/cluster"
)

// ErrNotSplittable is returned by Split for a command whose policy is not
// PlanSplit.
var ErrNotSplittable = errors.New("router: command cannot be split by slot")

// SubRequest is the part of a split command that goes to one slot.
type SubRequest struct {
	// Slot is the hash slot of every key in the sub-request.
	Slot int
	// Args is the command to send: the command name, then the key groups
	// of this slot in their original order. It shares the request's bytes.
	Args [][]byte
	// Groups holds, for each key group in Args, its index among the key
	// groups of the original request, so that replies can be put back in
	// request order (MGET).
	Groups []int
}

// Split is the result of splitting one multi-key command by slot. A Split
// can be reused for the next command: its storage is recycled.
type Split struct {
	// Subs are the sub-requests, ordered by slot.
	Subs []SubRequest
	// NumGroups is the number of key groups in the original request.
	NumGroups int

	order  []uint64 // slot<<32 | group index, sorted
	args   [][]byte // backing store of every Subs[i].Args
	groups []int    // backing store of every Subs[i].Groups
}

// Split splits a call of a PlanSplit command (MGET, MSET, DEL…) into one
// sub-request per hash slot of its keys, each key group (Policy.GroupSize
// arguments starting with the key) kept whole. It allocates only while dst
// grows. args must have passed Lookup; a group count that does not divide
// evenly (MSET a 1 b) is an *ArityError, as Redis reports it.
func (c *Command) Split(args [][]byte, dst *Split) error {
	p := c.policy
	if p.Plan != PlanSplit {
		return ErrNotSplittable
	}
	first, size := c.FirstKey, p.GroupSize
	if len(args) <= first || (len(args)-first)%size != 0 {
		return c.arityErr
	}
	n := (len(args) - first) / size
	dst.NumGroups = n
	dst.order = dst.order[:0]
	for g := range n {
		slot := cluster.KeySlot(args[first+g*size])
		dst.order = append(dst.order, uint64(slot)<<32|uint64(g))
	}
	slices.Sort(dst.order)

	dst.Subs = dst.Subs[:0]
	dst.args = dst.args[:0]
	dst.groups = dst.groups[:0]
	// Reserve the backing stores up front so that sub-slices taken below
	// stay valid: every group appears once, every sub-request repeats the
	// prefix.
	slotCount := 0
	for i, o := range dst.order {
		if i == 0 || o>>32 != dst.order[i-1]>>32 {
			slotCount++
		}
	}
	dst.args = slices.Grow(dst.args, slotCount*first+n*size)
	dst.groups = slices.Grow(dst.groups, n)
	for i := 0; i < len(dst.order); {
		slot := int(dst.order[i] >> 32)
		argStart, groupStart := len(dst.args), len(dst.groups)
		dst.args = append(dst.args, args[:first]...)
		for ; i < len(dst.order) && int(dst.order[i]>>32) == slot; i++ {
			g := int(uint32(dst.order[i]))
			dst.args = append(dst.args, args[first+g*size:first+(g+1)*size]...)
			dst.groups = append(dst.groups, g)
		}
		dst.Subs = append(dst.Subs, SubRequest{
			Slot:   slot,
			Args:   dst.args[argStart:len(dst.args):len(dst.args)],
			Groups: dst.groups[groupStart:len(dst.groups):len(dst.groups)],
		})
	}
	return nil
}
