package router

// globMatch is Redis 7.0's stringmatchlen: glob-style matching with *, ?,
// [...] (with ^ negation, a-z ranges and \ escapes) and \ escapes, used by
// COMMAND LIST FILTERBY PATTERN. Like Redis it gives up on a '*' once the
// rest of the pattern has failed to match anywhere, which keeps patterns
// with many stars linear instead of exponential.
func globMatch(pattern, str []byte, nocase bool) bool {
	skipLonger := false
	return globMatchImpl(pattern, str, nocase, &skipLonger)
}

func globMatchImpl(pat, str []byte, nocase bool, skipLonger *bool) bool {
	// p and s index pat and str; Redis's patternLen and stringLen are
	// len(pat)-p and len(str)-s. Bytes past the end read as the NUL that
	// terminates Redis's strings.
	p, s := 0, 0
	at := func(i int) byte {
		if i < len(pat) {
			return pat[i]
		}
		return 0
	}
	fold := func(c byte) byte {
		if nocase {
			return lower(c)
		}
		return c
	}
	for p < len(pat) && s < len(str) {
		switch pat[p] {
		case '*':
			for p < len(pat) && at(p+1) == '*' {
				p++
			}
			if len(pat)-p == 1 {
				return true
			}
			for s < len(str) {
				if globMatchImpl(pat[p+1:], str[s:], nocase, skipLonger) {
					return true
				}
				if *skipLonger {
					return false
				}
				s++
			}
			*skipLonger = true
			return false
		case '?':
			s++
		case '[':
			p++
			not := at(p) == '^'
			if not {
				p++
			}
			match := false
			for {
				if at(p) == '\\' && len(pat)-p >= 2 {
					p++
					if pat[p] == str[s] {
						match = true
					}
				} else if at(p) == ']' {
					break
				} else if p >= len(pat) {
					p--
					break
				} else if len(pat)-p >= 3 && pat[p+1] == '-' {
					start, end, c := pat[p], pat[p+2], str[s]
					if start > end {
						start, end = end, start
					}
					if nocase {
						start, end, c = lower(start), lower(end), lower(c)
					}
					p += 2
					if c >= start && c <= end {
						match = true
					}
				} else if fold(pat[p]) == fold(str[s]) {
					match = true
				}
				p++
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			s++
		default:
			if pat[p] == '\\' && len(pat)-p >= 2 {
				p++
			}
			if fold(pat[p]) != fold(str[s]) {
				return false
			}
			s++
		}
		p++
		if s == len(str) {
			for at(p) == '*' {
				p++
			}
			break
		}
	}
	return p >= len(pat) && s == len(str)
}

// GlobMatch reports whether str matches the glob-style pattern as Redis
// 7.0's stringmatchlen decides it, for KEYS, SCAN MATCH, PSUBSCRIBE and
// CONFIG GET.
func GlobMatch(pattern, str []byte, nocase bool) bool { return globMatch(pattern, str, nocase) }
