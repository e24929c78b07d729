// Package cluster owns Redis Cluster's data model: slot math (CRC16-XMODEM
// and hash tags), node ids, flags, epochs, topology snapshots, slot states,
// nodes.conf, CLUSTER reply formatting and redirect errors.
//
// It may import the standard library and internal/resp, never router,
// backend or proxy.
package cluster
