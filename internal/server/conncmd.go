package server

import (
	"bytes"
	"strconv"

	"github.com/keyslot/keyslot/internal/version"
)

// Ping answers PING [message].
func Ping(c *Conn, args [][]byte) {
	switch len(args) {
	case 1:
		c.W.AppendSimple("PONG")
	case 2:
		c.W.AppendBulk(args[1])
	default:
		// PING's arity is -1, so only the handler knows two arguments is the
		// most it takes; Redis words it as an arity error.
		WrongArgs(c, "ping")
	}
}

// Echo answers ECHO message.
func Echo(c *Conn, args [][]byte) { c.W.AppendBulk(args[1]) }

// Quit answers QUIT: +OK, then the connection closes.
func Quit(c *Conn, _ [][]byte) {
	c.W.AppendSimple("OK")
	c.CloseAfterReply()
}

// reset answers RESET: the connection's state goes back to what a new
// connection has (RESP2, no name, not authenticated, and the program's own
// state).
func (s *Server) reset(c *Conn, _ [][]byte) {
	c.setProto(2)
	c.SetName("")
	// Redis logs the client back in as the default user, which needs
	// authenticating again when it has a password.
	c.authed = s.password() == ""
	s.h.Reset(c)
	c.W.AppendSimple("RESET")
}

// ClientID answers CLIENT ID.
func ClientID(c *Conn, _ [][]byte) { c.W.AppendInt(int64(c.ID)) }

// ClientGetName answers CLIENT GETNAME.
func ClientGetName(c *Conn, _ [][]byte) {
	if name := c.Name(); name != "" {
		c.W.AppendBulkString(name)
	} else {
		c.W.AppendNull()
	}
}

// ClientSetName answers CLIENT SETNAME name.
func ClientSetName(c *Conn, args [][]byte) {
	if setName(c, args[2]) {
		c.W.AppendSimple("OK")
	}
}

// setName validates and sets a client name as Redis's clientSetName does,
// replying the error itself when the name is refused.
func setName(c *Conn, name []byte) bool {
	for _, ch := range name {
		if ch < '!' || ch > '~' {
			c.W.AppendError("ERR Client names cannot contain spaces, newlines or special characters.")
			return false
		}
	}
	c.SetName(string(name))
	return true
}

// hello answers HELLO [protover [AUTH username password] [SETNAME name]].
// As in Redis, options take effect left to right while they are read: a
// SETNAME before a bad option has already renamed the client.
func (s *Server) hello(c *Conn, args [][]byte) {
	proto := c.W.Proto()
	next := 1
	if len(args) >= 2 {
		v, err := strconv.ParseInt(string(args[1]), 10, 64)
		if err != nil || !isCanonicalInt(args[1]) {
			c.W.AppendError("ERR Protocol version is not an integer or out of range")
			return
		}
		if v < 2 || v > 3 {
			c.W.AppendError("NOPROTO unsupported protocol version")
			return
		}
		proto = int(v)
		next = 2
	}
	for j := next; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case bytes.EqualFold(args[j], []byte("AUTH")) && more >= 2:
			if !s.checkAuth(args[j+1], args[j+2]) {
				c.W.AppendError("WRONGPASS invalid username-password pair or user is disabled.")
				return
			}
			c.authed = true
			j += 2
		case bytes.EqualFold(args[j], []byte("SETNAME")) && more >= 1:
			if !setName(c, args[j+1]) {
				return
			}
			j++
		default:
			// Redis formats the option with %s: it ends at a NUL byte.
			opt, _, _ := bytes.Cut(args[j], []byte{0})
			c.W.AppendError("ERR Syntax error in HELLO option '" + string(opt) + "'")
			return
		}
	}
	if s.authRequired(c) {
		c.W.AppendError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	c.setProto(proto)

	role := "master"
	if s.cfg.Role != nil {
		role = s.cfg.Role()
	}
	w := c.W
	w.AppendMap(7)
	w.AppendBulkString("server")
	w.AppendBulkString("redis")
	w.AppendBulkString("version")
	w.AppendBulkString(version.Redis)
	w.AppendBulkString("proto")
	w.AppendInt(int64(proto))
	w.AppendBulkString("id")
	w.AppendInt(int64(c.ID))
	w.AppendBulkString("mode")
	w.AppendBulkString(s.cfg.Mode)
	w.AppendBulkString("role")
	w.AppendBulkString(role)
	w.AppendBulkString("modules")
	w.AppendArray(0)
}

// WrongArgs replies Redis's arity error for the named command
// ("client|setname" for a subcommand).
func WrongArgs(c *Conn, name string) {
	c.W.AppendError("ERR wrong number of arguments for '" + name + "' command")
}

// isCanonicalInt reports whether b is an integer written as Redis's
// string2ll accepts it: no sign on zero, no leading zeros, no '+', no space.
func isCanonicalInt(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if b[0] == '-' {
		b = b[1:]
		if len(b) == 0 || b[0] == '0' {
			return false
		}
	}
	if len(b) > 1 && b[0] == '0' {
		return false
	}
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return false
		}
	}
	return true
}

// ConnectionHandlers returns the handlers of the connection-level commands,
// the same in every keyslot program, keyed as NewCommands expects.
func (s *Server) ConnectionHandlers() map[string]HandlerFunc {
	return map[string]HandlerFunc{
		"auth":           s.auth,
		"ping":           Ping,
		"echo":           Echo,
		"quit":           Quit,
		"hello":          s.hello,
		"reset":          s.reset,
		"client|id":      ClientID,
		"client|getname": ClientGetName,
		"client|setname": ClientSetName,
	}
}
