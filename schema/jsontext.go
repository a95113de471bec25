package schema

import (
	"fmt"
	"unicode/utf8"
)

// cleanJSON returns JSON text that a strict parser (DuckDB's JSON type)
// accepts: v itself when it already is. It replaces what encoding/json would
// decode as U+FFFD (an escaped UTF-16 surrogate without its pair, bytes that
// are not UTF-8) and what is not JSON at all but a page split that only
// balances brackets lets through (an unknown escape inside a string) with
// \ufffd, and escapes a control character inside a string. One odd value
// then costs a character, not the run: DuckDB refuses the whole batch, on
// every rerun.
func cleanJSON(v []byte) []byte {
	if utf8.Valid(v) && cleanText(v) {
		return v
	}
	out := make([]byte, 0, len(v)+16)
	in := false
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(v[i:])
			if r == utf8.RuneError && n == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, v[i:i+n]...)
			}
			i += n
			continue
		case c == '"':
			in = !in
		case in && c < 0x20:
			out = fmt.Appendf(out, `\u%04x`, c)
			i++
			continue
		case in && c == '\\':
			if n := escapeLen(v[i:]); n > 0 {
				out = append(out, v[i:i+n]...)
				i += n
			} else {
				out = append(out, `\ufffd`...)
				i += badEscapeLen(v[i:])
			}
			continue
		}
		out = append(out, c)
		i++
	}
	return out
}

// cleanText reports whether no string in the JSON text v holds a control
// character, an unknown escape or an unpaired surrogate escape.
func cleanText(v []byte) bool {
	in := false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			in = !in
		case !in:
		case c < 0x20:
			return false
		case c == '\\':
			n := escapeLen(v[i:])
			if n == 0 {
				return false
			}
			i += n - 1
		}
	}
	return true
}

// escapeLen is the length of the valid escape that starts v (at a
// backslash): 2, 6, or 12 for a surrogate pair; 0 when it is not valid JSON
// or a surrogate without its pair.
func escapeLen(v []byte) int {
	if len(v) < 2 {
		return 0
	}
	switch v[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
	default:
		return 0
	}
	r, ok := hex4(v[2:])
	switch {
	case !ok, r >= 0xDC00 && r <= 0xDFFF:
		return 0
	case r < 0xD800 || r > 0xDBFF:
		return 6
	}
	if len(v) < 12 || v[6] != '\\' || v[7] != 'u' {
		return 0
	}
	if lo, ok := hex4(v[8:]); ok && lo >= 0xDC00 && lo <= 0xDFFF {
		return 12
	}
	return 0
}

// badEscapeLen is the length of an escape escapeLen refuses, replaced
// whole: six for \u and four hexadecimal digits (a surrogate without its
// pair), else the backslash and the character after it.
func badEscapeLen(v []byte) int {
	if _, ok := hex4(v[min(2, len(v)):]); ok && v[1] == 'u' {
		return 6
	}
	return min(2, len(v))
}

// hex4 reads four hexadecimal digits.
func hex4(v []byte) (rune, bool) {
	if len(v) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range v[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
