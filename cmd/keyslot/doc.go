// Command keyslot is the one binary of keyslot: a Redis-compatible storage
// node, a Redis Cluster proxy, a whole local cluster for development, and
// the probes containers need. main only wires flags, configuration, logging,
// metrics and signals to the packages that do the work.
//
// It is the only package that reads viper, flags or the environment; the
// packages it starts receive typed Configs, a *zap.Logger and a
// prometheus.Registerer.
package main
