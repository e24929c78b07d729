package cluster

// SlotCount is the number of hash slots in a Redis Cluster.
const SlotCount = 16384

// crc16tab is the CRC16-XMODEM table (polynomial 0x1021, initial value 0,
// no reflection), built once at compile time by crc16Table.
var crc16tab = crc16Table()

func crc16Table() [256]uint16 {
	var t [256]uint16
	for i := range t {
		crc := uint16(i) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
		t[i] = crc
	}
	return t
}

// CRC16 returns the CRC16-XMODEM checksum of b, the variant Redis Cluster
// uses: CRC16("123456789") is 0x31C3.
func CRC16(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc = crc<<8 ^ crc16tab[byte(crc>>8)^c]
	}
	return crc
}

// HashTag returns the part of key that is hashed: the bytes between the
// first '{' and the first '}' after it, when that span is not empty;
// otherwise the whole key. So "{user1000}.following" hashes "user1000",
// while "foo{}{bar}" hashes the whole key and "foo{{bar}}zap" hashes "{bar".
func HashTag(key []byte) []byte {
	for i, c := range key {
		if c != '{' {
			continue
		}
		for j := i + 1; j < len(key); j++ {
			if key[j] == '}' {
				if j == i+1 {
					return key
				}
				return key[i+1 : j]
			}
		}
		return key
	}
	return key
}

// KeySlot returns the hash slot of key, as CLUSTER KEYSLOT does.
func KeySlot(key []byte) int {
	return int(CRC16(HashTag(key)) & (SlotCount - 1))
}
