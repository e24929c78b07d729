// Package rdb is Redis's RDB object serialization: the byte format of a
// single value inside an RDB file, which is also the body of a DUMP / RESTORE
// payload, of MIGRATE, and of the snapshot a replica receives.
//
// It owns the encodings Redis 7.0 (RDB version 10) writes and every older
// encoding it still loads for strings, lists, sets, sorted sets and hashes:
// length and string encodings (integer-encoded and LZF-compressed strings),
// listpacks, ziplists, zipmaps, intsets, quicklists, and the DUMP payload
// footer (RDB version plus CRC-64/Jones). Values cross the package boundary
// in a neutral form, Object, which the keyspace converts to and from its own
// representation; the encoding name the keyspace reports through OBJECT
// ENCODING picks the RDB encoding, as it does in Redis.
//
// Decoding treats its input as hostile: every length is checked against the
// bytes actually present before anything is allocated, every container is
// validated deeply (as Redis does with sanitize-dump-payload yes), and no
// input makes it panic.
//
// It imports only the standard library; it must not import the rest of
// backend, router, cluster or proxy.
package rdb
