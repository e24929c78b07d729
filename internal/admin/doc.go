// Package admin is the HTTP listener every keyslot program runs beside its
// Redis port: /metrics for Prometheus, /healthz for liveness and /readyz for
// readiness.
//
// It owns no metrics of its own: it serves whatever Gatherer it is given,
// and asks a function whether the program is ready. It imports the standard
// library, Prometheus's client and zap, never backend or proxy.
package admin
