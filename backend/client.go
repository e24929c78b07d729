package backend

import (
	"sync/atomic"

	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/router"
)

// client is the node's state for one connection. Fields are owned by the
// connection's goroutine unless a comment says otherwise.
type client struct {
	conn *server.Conn
	db   int // the SELECTed database
	x    Ctx // reused for every command

	multi        *multiState // non-nil between MULTI and EXEC / DISCARD
	inExec       bool        // the keyspace is held exclusively for this client
	pendingReady []dbKey     // keys filled inside EXEC, served after it

	// watching lists the keys this client WATCHes; the stripes' watched
	// maps point back at it.
	watching []watchedKey
	// dirtyCAS is set, by whichever goroutine modifies a watched key, to
	// make the next EXEC fail.
	dirtyCAS atomic.Bool

	// For CLIENT LIST and INFO, read by other goroutines.
	lastCmd atomic.Pointer[router.Command]
	dbIndex atomic.Int32
	nsub    atomic.Int32 // channels subscribed to
	npsub   atomic.Int32 // patterns subscribed to
	nssub   atomic.Int32 // shard channels subscribed to
	multiN  atomic.Int32 // commands queued in MULTI, -1 outside it

	keyRefs   []router.KeyRef
	stripeBuf []int
}

// clientOf returns the node state of c, creating it on first use.
func (s *Server) clientOf(c *server.Conn) *client {
	if cl, ok := c.State.(*client); ok {
		return cl
	}
	cl := &client{conn: c}
	cl.x = Ctx{s: s, c: c, cl: cl, W: c.W}
	cl.multiN.Store(-1)
	c.State = cl
	return cl
}

func (cl *client) selectDB(i int) {
	cl.db = i
	cl.dbIndex.Store(int32(i))
}

func (cl *client) subscribed() bool {
	return cl.nsub.Load()+cl.npsub.Load()+cl.nssub.Load() > 0
}

// Reset drops the client's node state for RESET (server.Handler): out of
// MULTI, nothing watched, no subscriptions, database 0.
func (s *Server) Reset(c *server.Conn) {
	cl := s.clientOf(c)
	cl.discard()
	s.unwatchAll(cl)
	s.ps.unsubscribeAll(cl)
	cl.selectDB(0)
}

// Closed releases the client's node state (server.Handler).
func (s *Server) Closed(c *server.Conn) {
	cl, ok := c.State.(*client)
	if !ok {
		return
	}
	s.unwatchAll(cl)
	s.ps.unsubscribeAll(cl)
}
