package rdb

// Kind is the Redis data type of an Object.
type Kind uint8

// The data types this package serializes.
const (
	KindString Kind = iota
	KindList
	KindSet
	KindZSet
	KindHash
)

// String returns the name TYPE reports for the kind.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindList:
		return "list"
	case KindSet:
		return "set"
	case KindZSet:
		return "zset"
	case KindHash:
		return "hash"
	}
	return "unknown"
}

// Field is one field of a hash and its value.
type Field struct{ Name, Value []byte }

// Member is one member of a sorted set and its score.
type Member struct {
	Member []byte
	Score  float64
}

// Object is a value in a neutral form that the keyspace converts to and from
// its own representation. Only the slice that matches Kind is used.
//
// Objects returned by the decoder hold slices that share memory with each
// other and with the decoder's input; they are capped, so appending to one
// never overwrites another.
type Object struct {
	Kind Kind
	Str  []byte   // KindString
	List [][]byte // KindList, head to tail
	Set  [][]byte // KindSet
	Hash []Field  // KindHash
	ZSet []Member // KindZSet, in any order
}

// RDB object type bytes, as written before a key in an RDB file and first in
// a DUMP payload.
const (
	TypeString           = 0
	TypeList             = 1
	TypeSet              = 2
	TypeZSet             = 3
	TypeHash             = 4
	TypeZSet2            = 5
	TypeModule           = 6
	TypeModule2          = 7
	TypeHashZipmap       = 9
	TypeListZiplist      = 10
	TypeSetIntset        = 11
	TypeZSetZiplist      = 12
	TypeHashZiplist      = 13
	TypeListQuicklist    = 14
	TypeStreamListpacks  = 15
	TypeHashListpack     = 16
	TypeZSetListpack     = 17
	TypeListQuicklist2   = 18
	TypeStreamListpacks2 = 19
)

// Version is the RDB format version Redis 7.0 writes.
const Version = 10

// IsObjectType reports whether t is an object type byte of RDB version 10,
// whether or not this package loads it. Other bytes in that position are
// opcodes (in RDB files) or corruption.
func IsObjectType(t byte) bool {
	return t <= TypeModule2 || (t >= TypeHashZipmap && t <= TypeStreamListpacks2)
}
