package rdb

import "encoding/binary"

// crcPoly is the CRC-64/Jones polynomial 0xad93d23594c935a9 bit-reversed,
// since Redis's CRC is reflected (least significant bit first).
const crcPoly = 0x95ac9329ac4bc9b5

// crcTables holds the slicing-by-8 tables: crcTables[0] is the classic
// byte-at-a-time table, crcTables[k] advances a byte through k more zero
// bytes. They are computed once and never written again.
var crcTables = makeCRCTables()

func makeCRCTables() *[8][256]uint64 {
	t := new([8][256]uint64)
	for i := range 256 {
		c := uint64(i)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ crcPoly
			} else {
				c >>= 1
			}
		}
		t[0][i] = c
	}
	for i := range 256 {
		c := t[0][i]
		for k := 1; k < 8; k++ {
			c = t[0][c&0xff] ^ c>>8
			t[k][i] = c
		}
	}
	return t
}

// CRC64 extends crc with p using Redis's CRC-64 (Jones coefficients,
// reflected, initial value 0, no final xor), the checksum of DUMP payloads
// and RDB files. Start with crc 0.
func CRC64(crc uint64, p []byte) uint64 {
	t := crcTables
	for len(p) >= 8 {
		crc ^= binary.LittleEndian.Uint64(p)
		crc = t[7][byte(crc)] ^ t[6][byte(crc>>8)] ^ t[5][byte(crc>>16)] ^ t[4][byte(crc>>24)] ^
			t[3][byte(crc>>32)] ^ t[2][byte(crc>>40)] ^ t[1][byte(crc>>48)] ^ t[0][byte(crc>>56)]
		p = p[8:]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	return crc
}
