package backend

// value is what a key holds. Each data type implements it in its own file.
type value interface {
	// typeName is what TYPE replies: "string", "list", "set", "zset",
	// "hash".
	typeName() string
	// encoding is what OBJECT ENCODING replies. keyslot stores values its
	// own way but reports the encoding Redis would be using, following the
	// same thresholds (list-max-listpack-size…), since clients and tests
	// read it.
	encoding(it *item) string
}

// blocker marks the types blocked clients wait for (lists, sorted sets):
// creating such a key wakes them.
type blocker interface{ wakesBlocked() }

// strValue is a string. Integers are kept as text, as Redis returns them.
type strValue struct{ b []byte }

func (*strValue) typeName() string { return "string" }

// encoding is int, embstr or raw as Redis would store the string: int for
// a canonical integer that fits int64 (unless INCRBYFLOAT made it), embstr
// up to 44 bytes, raw above or once changed in place.
func (v *strValue) encoding(it *item) string {
	if it.raw {
		return "raw"
	}
	if len(v.b) <= 20 && !it.float {
		if _, ok := parseInt(v.b); ok {
			return "int"
		}
	}
	if len(v.b) <= 44 {
		return "embstr"
	}
	return "raw"
}
