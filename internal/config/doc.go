// Package config holds the small pieces every program's configuration
// shares: Redis-style yes/no booleans, byte sizes with Redis's units
// ("512mb", "100k"), and the typed errors that name a bad key and its value.
//
// Packages use it to write DefaultConfig and Config.Validate; cmd/keyslot
// uses it to decode what viper reads. It imports only the standard library,
// and nothing here reads files, flags or the environment.
package config
