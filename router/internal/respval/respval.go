package respval

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Value is one decoded reply. Kind is the RESP type byte ('+', '-', ':',
// '$', '*', '%', '~', '>', '_', ',', '#', '=', '('); a RESP2 null bulk or
// null array has Null set and keeps its '$' or '*' kind.
type Value struct {
	Kind byte
	Null bool
	// Str holds the text of simple strings, errors, bulk and verbatim
	// strings, doubles and big numbers.
	Str string
	// Int holds integers and booleans (1 for #t).
	Int int64
	// Elems holds the elements of arrays, sets and pushes, and the keys and
	// values of maps alternately, in wire order.
	Elems []Value
	// Raw is the exact encoding of this value.
	Raw []byte
}

// ErrIncomplete reports that the input ends before the reply does.
var ErrIncomplete = errors.New("respval: incomplete reply")

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 64

// Parse decodes the first reply in b and returns it with the number of
// bytes it spans.
func Parse(b []byte) (Value, int, error) {
	return parse(b, 0)
}

// ParseAll decodes b, which must hold exactly one reply.
func ParseAll(b []byte) (Value, error) {
	v, n, err := Parse(b)
	if err != nil {
		return Value{}, err
	}
	if n != len(b) {
		return Value{}, fmt.Errorf("respval: %d trailing bytes", len(b)-n)
	}
	return v, nil
}

func parse(b []byte, depth int) (Value, int, error) {
	if depth > maxDepth {
		return Value{}, 0, errors.New("respval: nesting too deep")
	}
	if len(b) == 0 {
		return Value{}, 0, ErrIncomplete
	}
	i := bytes.Index(b, []byte("\r\n"))
	if i < 0 {
		return Value{}, 0, ErrIncomplete
	}
	kind, line, n := b[0], string(b[1:i]), i+2
	v := Value{Kind: kind}
	switch kind {
	case '+', '-', ',', '(':
		v.Str = line
	case ':':
		x, err := strconv.ParseInt(line, 10, 64)
		if err != nil {
			return Value{}, 0, fmt.Errorf("respval: bad integer %q", line)
		}
		v.Int = x
	case '#':
		switch line {
		case "t":
			v.Int = 1
		case "f":
		default:
			return Value{}, 0, fmt.Errorf("respval: bad boolean %q", line)
		}
	case '_':
		v.Null = true
	case '$', '=':
		size, err := strconv.Atoi(line)
		if err != nil || size < -1 {
			return Value{}, 0, fmt.Errorf("respval: bad length %q", line)
		}
		if size == -1 {
			v.Null = true
			break
		}
		if len(b) < n+size+2 {
			return Value{}, 0, ErrIncomplete
		}
		if b[n+size] != '\r' || b[n+size+1] != '\n' {
			return Value{}, 0, errors.New("respval: bulk string not terminated by CRLF")
		}
		v.Str = string(b[n : n+size])
		n += size + 2
	case '*', '~', '>', '%':
		count, err := strconv.Atoi(line)
		if err != nil || count < -1 {
			return Value{}, 0, fmt.Errorf("respval: bad length %q", line)
		}
		if count == -1 {
			v.Null = true
			break
		}
		if kind == '%' {
			count *= 2
		}
		if count > len(b) {
			// Every element takes at least three bytes.
			return Value{}, 0, ErrIncomplete
		}
		v.Elems = make([]Value, 0, count)
		for range count {
			e, m, err := parse(b[n:], depth+1)
			if err != nil {
				return Value{}, 0, err
			}
			v.Elems = append(v.Elems, e)
			n += m
		}
	default:
		return Value{}, 0, fmt.Errorf("respval: unknown type byte %q", kind)
	}
	v.Raw = b[:n:n]
	return v, n, nil
}

// IsAggregate reports whether v holds elements.
func (v Value) IsAggregate() bool {
	switch v.Kind {
	case '*', '~', '>', '%':
		return !v.Null
	}
	return false
}

// Pairs returns the key/value pairs of a map, or of a RESP2 array that
// stands for one. It fails when v has an odd number of elements.
func (v Value) Pairs() ([][2]Value, error) {
	if !v.IsAggregate() || len(v.Elems)%2 != 0 {
		return nil, fmt.Errorf("respval: %q is not a map", v.Raw)
	}
	out := make([][2]Value, 0, len(v.Elems)/2)
	for i := 0; i < len(v.Elems); i += 2 {
		out = append(out, [2]Value{v.Elems[i], v.Elems[i+1]})
	}
	return out, nil
}

// Strings returns the Str of every element.
func (v Value) Strings() []string {
	out := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		out[i] = e.Str
	}
	return out
}
