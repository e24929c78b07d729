// Package backend is the keyslot storage node: listener, connection loop,
// dispatch through the router's command table, client state and command
// handlers.
//
// It may import router, cluster and internal packages, never proxy.
package backend
