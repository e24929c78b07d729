package server

import "crypto/subtle"

// Redis 7 has one user here, "default". Without requirepass it takes any
// password ("nopass"); with it, only that password.
const defaultUser = "default"

// password returns the requirepass in force now; "" means none.
func (s *Server) password() string {
	if s.cfg.Password == nil {
		return ""
	}
	return s.cfg.Password()
}

// authRequired reports whether c must still authenticate before running a
// command that is not flagged no_auth.
func (s *Server) authRequired(c *Conn) bool {
	return !c.authed && s.password() != ""
}

// checkAuth reports whether user and pass authenticate as the default user.
func (s *Server) checkAuth(user, pass []byte) bool {
	if string(user) != defaultUser {
		return false
	}
	pw := s.password()
	if pw == "" {
		return true
	}
	return subtle.ConstantTimeCompare(pass, []byte(pw)) == 1
}

// auth answers AUTH [username] password.
func (s *Server) auth(c *Conn, args [][]byte) {
	var user, pass []byte
	switch len(args) {
	case 2:
		if s.password() == "" {
			c.W.AppendError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
			return
		}
		user, pass = []byte(defaultUser), args[1]
	case 3:
		user, pass = args[1], args[2]
	default:
		c.W.AppendError("ERR syntax error")
		return
	}
	if !s.checkAuth(user, pass) {
		c.W.AppendError("WRONGPASS invalid username-password pair or user is disabled.")
		return
	}
	c.authed = true
	c.W.AppendSimple("OK")
}
