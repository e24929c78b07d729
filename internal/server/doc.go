// Package server is the connection machinery the node and the proxy share:
// a TCP listener with a client limit, one goroutine per connection that
// reads every complete command in its buffer, runs them, and flushes once
// per batch; protocol errors answered and the connection closed; panics in
// one connection recovered and confined to it; idle timeouts; graceful
// shutdown; and the connection-level commands whose behaviour does not
// depend on the program (PING, ECHO, HELLO, QUIT, RESET, CLIENT ID /
// SETNAME / GETNAME).
//
// It may import internal packages, router and cluster; never backend or
// proxy, which are built on it.
package server
