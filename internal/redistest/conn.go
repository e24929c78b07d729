package redistest

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/keyslot/keyslot/internal/resp"
)

// maxReply bounds how much a test connection buffers for one reply.
const maxReply = 64 << 20

// Conn is a raw RESP client for tests: it sends commands and returns each
// reply as the exact bytes the server sent.
type Conn struct {
	nc      net.Conn
	buf     []byte // received bytes not yet returned
	Timeout time.Duration
}

// DialTimeout connects to addr.
func DialTimeout(addr string, timeout time.Duration) (*Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return &Conn{nc: nc, Timeout: 10 * time.Second}, nil
}

// Close closes the connection.
func (c *Conn) Close() error { return c.nc.Close() }

// NetConn returns the underlying connection, for tests that write raw bytes.
func (c *Conn) NetConn() net.Conn { return c.nc }

// Do sends args as one multibulk command and returns the raw reply.
func (c *Conn) Do(args ...string) ([]byte, error) {
	if err := c.Send(args...); err != nil {
		return nil, err
	}
	return c.Receive()
}

// Send writes args as one multibulk command without reading a reply.
func (c *Conn) Send(args ...string) error {
	bargs := make([][]byte, len(args))
	for i, a := range args {
		bargs[i] = []byte(a)
	}
	return c.Write(resp.AppendCommand(nil, bargs...))
}

// Write writes raw bytes to the server.
func (c *Conn) Write(b []byte) error {
	_ = c.nc.SetWriteDeadline(time.Now().Add(c.Timeout))
	_, err := c.nc.Write(b)
	return err
}

// Receive reads the next complete reply and returns its raw bytes.
func (c *Conn) Receive() ([]byte, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(c.Timeout))
	for {
		n, err := resp.ScanReply(c.buf)
		if err != nil {
			return nil, fmt.Errorf("malformed reply %q: %w", c.buf, err)
		}
		if n > 0 {
			reply := append([]byte(nil), c.buf[:n]...)
			c.buf = append(c.buf[:0], c.buf[n:]...)
			return reply, nil
		}
		if len(c.buf) > maxReply {
			return nil, errors.New("reply larger than 64 MiB")
		}
		var chunk [16 << 10]byte
		m, err := c.nc.Read(chunk[:])
		c.buf = append(c.buf, chunk[:m]...)
		if err != nil && m == 0 {
			return nil, err
		}
	}
}
