// Package redistest starts real redis-server processes for tests and gives
// them a raw client that returns replies as the exact bytes received, so
// keyslot's replies can be compared with Redis's byte for byte.
//
// A test that needs something this machine lacks (redis-server, Docker)
// calls Require: it skips, or fails when KEYSLOT_REQUIRE_ALL=1 is set, as it
// is in CI, so that a missing dependency can never turn a suite green.
//
// It imports only the standard library and internal/resp.
package redistest
