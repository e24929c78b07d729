// Package proxy is the keyslot proxy: a client listener that speaks RESP and
// routes each command to the cluster node that owns its slot.
//
// It may import router, cluster and internal packages, never backend.
package proxy
