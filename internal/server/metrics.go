package server

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the connection-level metrics of one program. Commands are
// counted by the program, which knows its command table.
type Metrics struct {
	connected      prometheus.Gauge
	accepted       prometheus.Counter
	rejected       prometheus.Counter
	protocolErrors prometheus.Counter
	panics         prometheus.Counter
}

// NewMetrics creates the metrics with the given namespace and subsystem
// ("keyslot", "node") and registers them with reg.
func NewMetrics(reg prometheus.Registerer, namespace, subsystem string) (*Metrics, error) {
	opts := func(name, help string) prometheus.Opts {
		return prometheus.Opts{Namespace: namespace, Subsystem: subsystem, Name: name, Help: help}
	}
	m := &Metrics{
		connected:      prometheus.NewGauge(prometheus.GaugeOpts(opts("connected_clients", "Client connections open now."))),
		accepted:       prometheus.NewCounter(prometheus.CounterOpts(opts("connections_received_total", "Client connections accepted."))),
		rejected:       prometheus.NewCounter(prometheus.CounterOpts(opts("rejected_connections_total", "Client connections refused because maxclients was reached."))),
		protocolErrors: prometheus.NewCounter(prometheus.CounterOpts(opts("protocol_errors_total", "Connections closed for malformed or over-limit RESP."))),
		panics:         prometheus.NewCounter(prometheus.CounterOpts(opts("connection_panics_total", "Panics recovered in a connection, each closing that connection."))),
	}
	for _, c := range []prometheus.Collector{m.connected, m.accepted, m.rejected, m.protocolErrors, m.panics} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
