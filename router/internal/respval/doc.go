// Package respval decodes one RESP2 or RESP3 reply into a tree of values.
// It serves the command-table generator, which reads COMMAND INFO and
// COMMAND DOCS from a trusted redis-server, and the router's tests, which
// compare replies element by element. It is not meant for untrusted input
// on a hot path: it allocates freely and keeps map pairs in wire order.
package respval
