// Package resp is keyslot's wire codec for RESP2 and RESP3.
//
// It owns three pieces:
//
//   - Reader: a bounded, zero-copy request reader that returns every complete
//     pipelined command in the connection buffer, enforces Redis's limits
//     (proto-max-bulk-len, multibulk length, inline length) and reports
//     malformed input with Redis's exact "Protocol error" texts.
//   - ScanReply and ReplyScanner: find where the next complete reply ends in bytes from a server,
//     for every RESP2 and RESP3 type, without decoding, so a proxy can forward
//     replies untouched.
//   - Writer: a buffered reply writer that appends every RESP2 and RESP3 type,
//     choosing the RESP2 form on RESP2 connections, and keeps the first write
//     error.
//
// github.com/tidwall/resp provides the decoded Value where one is wanted. Its
// reader is never pointed at an untrusted socket: it has no limit on line
// length and misreads arrays of more than 1M elements, so a peer could make
// it allocate without bound or desync. Frames are first delimited by Scan,
// which enforces our limits, and only complete, bounded frames are handed to
// it.
//
// This package imports only the standard library and tidwall/resp.
package resp
