//go:build race

package zset

// raceEnabled lets tests that only measure skip the race detector, which
// slows them down and distorts heap numbers.
const raceEnabled = true
