package config

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// CheckRange returns a FieldError unless min <= v <= max, worded as Redis
// words it ("argument must be between 1 and 2147483647 inclusive").
func CheckRange(key string, v, min, max int64) error {
	if v < min || v > max {
		return Invalid(key, strconv.FormatInt(v, 10),
			"argument must be between "+strconv.FormatInt(min, 10)+" and "+strconv.FormatInt(max, 10)+" inclusive")
	}
	return nil
}

// CheckBind accepts one listen address for a "bind" key: an IP address,
// "localhost", or "*" for every interface (Redis's wildcard). Redis takes a
// list; keyslot listens on a single address, so a list is rejected rather
// than half used.
func CheckBind(key, s string) error {
	switch {
	case s == "*" || s == "localhost":
		return nil
	case strings.ContainsAny(s, " \t,"):
		return Invalid(key, s, "only one address is supported")
	}
	if _, err := netip.ParseAddr(s); err != nil {
		return Invalid(key, s, "argument must be an IP address, 'localhost' or '*'")
	}
	return nil
}

// ListenAddr joins a bind value accepted by CheckBind and a port into the
// address net.Listen takes; "*" becomes the empty host, which listens on
// every interface.
func ListenAddr(bind string, port int) string {
	if bind == "*" {
		bind = ""
	}
	return net.JoinHostPort(bind, strconv.Itoa(port))
}

// CheckListenAddr accepts a "host:port" or ":port" address to listen on,
// with a port from 0 to 65535 (0 lets the kernel choose).
func CheckListenAddr(key, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return Invalid(key, addr, "argument must be host:port or :port")
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return Invalid(key, addr, "port must be a number between 0 and 65535")
	}
	return nil
}

// CheckHostPort accepts a "host:port" address to connect to: a non-empty
// host and a port from 1 to 65535.
func CheckHostPort(key, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return Invalid(key, addr, "argument must be host:port")
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return Invalid(key, addr, "port must be a number between 1 and 65535")
	}
	return nil
}
