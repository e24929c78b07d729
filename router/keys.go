package router

// KeyRef is one key of a command call: its index in the arguments (the
// command name is index 0) and how the command uses it.
type KeyRef struct {
	Pos   int
	Flags KeyFlags
}

// FinderKind names one of Redis's getkeys procedures.
type FinderKind uint8

// Finder kinds. Each reproduces the Redis 7.0 function named in its
// comment, including its quirks, because COMMAND GETKEYS must answer as
// Redis does and slot checks must see the keys Redis would see.
const (
	// FinderNone: the key specs are all there is.
	FinderNone FinderKind = iota
	// FinderNumKeys is genericGetKeys: a numkeys argument followed by that
	// many keys, plus an optional destination key (EVAL, ZUNIONSTORE…).
	FinderNumKeys
	// FinderSort is sortGetKeys: the sorted key and the last STORE key.
	FinderSort
	// FinderSortRO is sortROGetKeys: the sorted key only.
	FinderSortRO
	// FinderMigrate is migrateGetKeys: the key, or the keys after KEYS.
	FinderMigrate
	// FinderGeoradius is georadiusGetKeys: the key and a STORE/STOREDIST key.
	FinderGeoradius
	// FinderXread is xreadGetKeys: the first half of the arguments after
	// STREAMS.
	FinderXread
	// FinderSet is setGetKeys: the key, RW when GET is given, else OW.
	FinderSet
	// FinderBitfield is bitfieldGetKeys: the key, RO when only GET is used.
	FinderBitfield
)

var finderNames = [...]string{"none", "numkeys", "sort", "sort_ro", "migrate", "georadius", "xread", "set", "bitfield"}

// String returns a short name for the finder kind.
func (k FinderKind) String() string {
	if int(k) < len(finderNames) {
		return finderNames[k]
	}
	return "finder?"
}

// Finder is a command's getkeys procedure, attached to its table entry as
// data. Redis consults it when the key specs are incomplete, carry
// VARIABLE_FLAGS, or cannot be resolved (a numkeys that does not parse).
type Finder struct {
	Kind FinderKind
	// StoreKey, NumKeysIdx, FirstKey and Step parameterise FinderNumKeys:
	// the destination key index (0 for none), the numkeys index, the first
	// key index and the distance between keys.
	StoreKey, NumKeysIdx, FirstKey, Step int
}

// Keys appends to dst the keys of a call of c with arguments args (args[0]
// is the command name; for a subcommand args[1] is its name) and returns
// the extended slice. It follows Redis 7.0's getKeysFromCommandWithSpecs:
// key specs first, the command's finder where the specs cannot decide. It
// never fails: arguments that do not parse yield no keys, and the command
// itself reports the syntax error, as in Redis. Keys allocates only when
// dst lacks capacity.
func (c *Command) Keys(args [][]byte, dst []KeyRef) []KeyRef {
	if c.hasKeySpecs && !c.varFlags {
		if out, ok := c.keysFromSpecs(args, dst, false); ok {
			return out
		}
	}
	if len(args) < 2 {
		// Every finder's first key is argument 1. Redis never gets here
		// with fewer arguments, as arity is checked first; we may.
		return dst
	}
	switch c.Finder.Kind {
	case FinderNone:
		return dst
	case FinderNumKeys:
		return numKeysGetKeys(c.Finder, args, dst)
	case FinderSort:
		return sortGetKeys(args, dst)
	case FinderSortRO:
		return append(dst, KeyRef{Pos: 1, Flags: KeyRO | KeyAccess})
	case FinderMigrate:
		return migrateGetKeys(args, dst)
	case FinderGeoradius:
		return georadiusGetKeys(args, dst)
	case FinderXread:
		return xreadGetKeys(args, dst)
	case FinderSet:
		return setGetKeys(args, dst)
	case FinderBitfield:
		return bitfieldGetKeys(args, dst)
	}
	return dst
}

// RoutingKeys is Keys plus the arguments that choose a slot without being
// keys: the shard channels of SPUBLISH, SSUBSCRIBE and SUNSUBSCRIBE, whose
// key specs are marked NOT_KEY. Slot checks and proxy routing use it.
func (c *Command) RoutingKeys(args [][]byte, dst []KeyRef) []KeyRef {
	if !c.notKeySpecs {
		return c.Keys(args, dst)
	}
	out, _ := c.keysFromSpecs(args, dst, true)
	return out
}

// keysFromSpecs is Redis 7.0's getKeysUsingKeySpecs, with the search flag
// GET_KEYSPEC_INCLUDE_NOT_KEYS when includeNotKeys is set. It reports
// false, with dst unchanged, when a spec is invalid or incomplete for
// these arguments.
func (c *Command) keysFromSpecs(args [][]byte, dst []KeyRef, includeNotKeys bool) ([]KeyRef, bool) {
	start := len(dst)
	argc := len(args)
	for i := range c.KeySpecs {
		spec := &c.KeySpecs[i]
		if spec.Flags&KeyNotKey != 0 && !includeNotKeys {
			continue
		}
		first := 0
		switch spec.BeginSearch.Type {
		case SearchIndex:
			first = spec.BeginSearch.Index
		case SearchKeyword:
			from := spec.BeginSearch.StartFrom
			startIdx, endIdx := from, argc-1
			if from <= 0 {
				startIdx, endIdx = argc+from, 1
			}
			for j := startIdx; j != endIdx; {
				if j >= argc || j < 1 {
					break
				}
				if cstrEqualFold(args[j], spec.BeginSearch.Keyword) {
					first = j + 1
					break
				}
				if startIdx <= endIdx {
					j++
				} else {
					j--
				}
			}
			if first == 0 {
				continue // keyword not found: the spec yields nothing
			}
		default:
			return dst[:start], false
		}

		var last, step int
		switch spec.FindKeys.Type {
		case FindRange:
			step = spec.FindKeys.KeyStep
			switch {
			case spec.FindKeys.LastKey >= 0:
				last = first + spec.FindKeys.LastKey
			case spec.FindKeys.Limit == 0:
				last = argc + spec.FindKeys.LastKey
			default:
				last = first + ((argc-first)/spec.FindKeys.Limit + spec.FindKeys.LastKey)
			}
		case FindKeyNum:
			step = spec.FindKeys.KeyStep
			idx := first + spec.FindKeys.KeyNumIdx
			if spec.FindKeys.KeyNumIdx >= argc || idx >= argc {
				return dst[:start], false
			}
			n, ok := string2ll(args[idx])
			if !ok || n < 0 {
				return dst[:start], false
			}
			first += spec.FindKeys.FirstKey
			// Redis 7.0 keeps positions in a C int: a huge numkeys wraps.
			last = first + int(int32(n)) - 1
		default:
			return dst[:start], false
		}
		if last >= argc || last < first || first >= argc || step <= 0 {
			return dst[:start], false
		}
		for j := first; j <= last; j += step {
			dst = append(dst, KeyRef{Pos: j, Flags: spec.Flags})
		}
		if spec.Flags&KeyIncomplete != 0 {
			return dst[:start], false
		}
	}
	return dst, true
}

// numKeysGetKeys is Redis's genericGetKeys. It reads numkeys with C atoi,
// so "2abc" counts as 2 where the key spec (string2ll) rejects it, and it
// lists the destination key last.
func numKeysGetKeys(f Finder, args [][]byte, dst []KeyRef) []KeyRef {
	argc := len(args)
	if f.NumKeysIdx >= argc || f.Step <= 0 {
		return dst
	}
	num := atoi(args[f.NumKeysIdx])
	if num < 1 || num > (argc-f.FirstKey)/f.Step {
		return dst
	}
	for i := range num {
		dst = append(dst, KeyRef{Pos: f.FirstKey + i*f.Step})
	}
	if f.StoreKey != 0 {
		dst = append(dst, KeyRef{Pos: f.StoreKey})
	}
	return dst
}

// sortGetKeys is Redis's sortGetKeys: the sorted key, and the key after
// the last STORE that the scan reaches, skipping LIMIT's two and GET's and
// BY's one argument.
func sortGetKeys(args [][]byte, dst []KeyRef) []KeyRef {
	dst = append(dst, KeyRef{Pos: 1, Flags: KeyRO | KeyAccess})
	store := 0
	argc := len(args)
	for i := 2; i < argc; i++ {
		switch {
		case cstrEqualFold(args[i], "limit"):
			i += 2
		case cstrEqualFold(args[i], "store") && i+1 < argc:
			// The store key itself is scanned next, as in Redis.
			store = i + 1
		case cstrEqualFold(args[i], "get"), cstrEqualFold(args[i], "by"):
			i++
		}
	}
	if store != 0 {
		dst = append(dst, KeyRef{Pos: store, Flags: KeyOW | KeyUpdate})
	}
	return dst
}

// migrateGetKeys is Redis's migrateGetKeys: argument 3, or with KEYS (and
// an empty argument 3) every argument after KEYS.
func migrateGetKeys(args [][]byte, dst []KeyRef) []KeyRef {
	argc := len(args)
	first, num := 3, 1
	if argc > 6 {
	scan:
		for i := 6; i < argc; i++ {
			switch {
			case cstrEqualFold(args[i], "keys"):
				if cstrLen(args[3]) > 0 {
					num = 0 // a syntax error MIGRATE itself reports
				} else {
					first = i + 1
					num = argc - first
				}
				break scan
			case cstrEqualFold(args[i], "copy"), cstrEqualFold(args[i], "replace"):
			case cstrEqualFold(args[i], "auth"):
				i++
			case cstrEqualFold(args[i], "auth2"):
				i += 2
			}
		}
	}
	if first >= argc {
		num = 0
	}
	for i := range num {
		dst = append(dst, KeyRef{Pos: first + i, Flags: KeyRW | KeyAccess | KeyDelete})
	}
	return dst
}

// georadiusGetKeys is Redis's georadiusGetKeys: the key, and the key after
// the last STORE or STOREDIST.
func georadiusGetKeys(args [][]byte, dst []KeyRef) []KeyRef {
	argc := len(args)
	stored := -1
	for i := 5; i < argc; i++ {
		if (cstrEqualFold(args[i], "store") || cstrEqualFold(args[i], "storedist")) && i+1 < argc {
			stored = i + 1
			i++
		}
	}
	dst = append(dst, KeyRef{Pos: 1})
	if stored != -1 {
		dst = append(dst, KeyRef{Pos: stored})
	}
	return dst
}

// xreadGetKeys is Redis's xreadGetKeys: after the options, STREAMS and an
// even number of arguments, the first half of which are keys.
func xreadGetKeys(args [][]byte, dst []KeyRef) []KeyRef {
	argc := len(args)
	streams := -1
scan:
	for i := 1; i < argc; i++ {
		switch a := args[i]; {
		case cstrEqualFold(a, "block"), cstrEqualFold(a, "count"):
			i++
		case cstrEqualFold(a, "group"):
			i += 2
		case cstrEqualFold(a, "noack"):
		case cstrEqualFold(a, "streams"):
			streams = i
			break scan
		default:
			break scan
		}
	}
	if streams == -1 {
		return dst
	}
	num := argc - streams - 1
	if num == 0 || num%2 != 0 {
		return dst
	}
	num /= 2
	for i := streams + 1; i < argc-num; i++ {
		dst = append(dst, KeyRef{Pos: i})
	}
	return dst
}

// setGetKeys is Redis's setGetKeys: SET reads the old value only with GET.
func setGetKeys(args [][]byte, dst []KeyRef) []KeyRef {
	for i := 3; i < len(args); i++ {
		if cstrEqualFold(args[i], "get") {
			return append(dst, KeyRef{Pos: 1, Flags: KeyRW | KeyAccess | KeyUpdate})
		}
	}
	return append(dst, KeyRef{Pos: 1, Flags: KeyOW | KeyUpdate})
}

// bitfieldGetKeys is Redis's bitfieldGetKeys: BITFIELD is read-only when
// every operation is a well-formed GET (or OVERFLOW).
func bitfieldGetKeys(args [][]byte, dst []KeyRef) []KeyRef {
	argc := len(args)
	readonly := true
	for i := 2; i < argc; i++ {
		remargs := argc - i - 1
		a := args[i]
		if cstrEqualFold(a, "get") && remargs >= 2 {
			i += 2
		} else if (cstrEqualFold(a, "set") || cstrEqualFold(a, "incrby")) && remargs >= 3 {
			readonly = false
			break
		} else if cstrEqualFold(a, "overflow") && remargs >= 1 {
			i++
		} else {
			readonly = false // a syntax error: assume a write, as Redis does
			break
		}
	}
	if readonly {
		return append(dst, KeyRef{Pos: 1, Flags: KeyRO | KeyAccess})
	}
	return append(dst, KeyRef{Pos: 1, Flags: KeyRW | KeyAccess | KeyUpdate})
}
