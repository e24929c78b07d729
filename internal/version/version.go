package version

// Version is keyslot's version, set with
// -ldflags "-X github.com/keyslot/keyslot/internal/version.Version=v1.2.3".
var Version = "dev"

// Redis is the Redis release whose replies keyslot matches byte for byte.
const Redis = "7.0.15"
