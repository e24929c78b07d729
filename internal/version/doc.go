// Package version holds the build's version strings: keyslot's own, set at
// link time, and the Redis version whose behaviour keyslot reproduces, which
// HELLO and INFO report so that clients pick the right feature set.
//
// It imports nothing.
package version
