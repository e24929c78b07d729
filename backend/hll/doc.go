// Package hll is Redis 7.0's HyperLogLog, working on the exact bytes Redis
// keeps in a string key: the 16-byte "HYLL" header with its cached
// cardinality, the sparse run-length encoding and the dense 6-bit register
// array. PFADD, PFCOUNT and PFMERGE built on it leave byte-for-byte the
// values real Redis leaves, so values move freely between keyslot and Redis
// through GET / SET, DUMP / RESTORE and RDB files.
//
// Redis edits the sparse encoding in place and decides when to promote it to
// dense from the exact length of the string, so the byte layout of every
// operation is part of its observable result; this package follows Redis's
// edit rules (opcode splitting, merging of neighbouring runs, the
// hll-sparse-max-bytes limit) rather than re-encoding from the registers.
//
// The functions take the values of existing keys; whether a key exists is
// said explicitly (an existing empty string is not a missing key: PFADD
// answers WRONGTYPE for it). Values of other types never reach this
// package, so a command that meets one must still reply in Redis's order:
// PFMERGE and a multi-key PFCOUNT check their keys left to right and stop
// at the first bad one, which Validate lets the caller reproduce. Dense
// values, and the cached cardinality Count writes, are updated in place.
//
// Values are untrusted: a value is checked as Redis checks it before use,
// and a corrupt body yields ErrCorrupted, never a panic or an allocation
// sized by the input.
//
// It imports only the standard library.
package hll
