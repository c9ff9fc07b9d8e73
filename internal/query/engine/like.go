package engine

import "unicode/utf8"

// likeMatch reports whether s matches a LIKE pattern: % matches any run of
// characters (none included), _ exactly one; everything else matches
// itself (case matters; there is no escape character). It backtracks only
// to the last %, so it runs in O(len(s)·len(p)) at worst.
func likeMatch(s, p string) bool {
	si, pi := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			pc, pw := utf8.DecodeRuneInString(p[pi:])
			switch pc {
			case '%':
				pi += pw
				starP, starS = pi, si
				continue
			case '_':
				_, sw := utf8.DecodeRuneInString(s[si:])
				si += sw
				pi += pw
				continue
			default:
				sc, sw := utf8.DecodeRuneInString(s[si:])
				if sc == pc {
					si += sw
					pi += pw
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		_, sw := utf8.DecodeRuneInString(s[starS:])
		starS += sw
		si, pi = starS, starP
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}
