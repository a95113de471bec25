package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// The scanner below splits JSON objects and arrays into their members without
// decoding the values, so that a page is read once and each value is decoded
// only into the Arrow column that wants it. The objects and arrays it splits
// are checked as it goes (keys, colons, commas, brackets); a value it only
// skips is checked for balanced strings and brackets, and decoded, strictly,
// by whoever reads it. It never panics on malformed input: it returns an
// error.

var errSyntax = errors.New("malformed JSON")

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// skipString returns the index just past the string that starts at b[i] == '"'.
func skipString(b []byte, i int) (int, error) {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, errSyntax
		}
		q := j + k
		// The quote ends the string unless an odd run of backslashes escapes it.
		n := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return q + 1, nil
		}
		j = q + 1
	}
}

// skipKey is skipString for a member key, which is short: it also reports
// whether the key has escapes.
func skipKey(b []byte, i int) (end int, escaped bool, err error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			return j + 1, escaped, nil
		}
	}
	return 0, false, errSyntax
}

// skipValue returns the index just past the value that starts at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errSyntax
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errSyntax
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && !isSpace(b[j]) {
			j++
		}
		if j == i {
			return 0, errSyntax
		}
		return j, nil
	}
}

// ObjectMembers calls fn for each member of the JSON object obj, in order,
// with the decoded key and the raw value.
func ObjectMembers(obj []byte, fn func(key string, val []byte) error) error {
	return members(obj, func(key, val []byte) error { return fn(string(key), val) }, nil)
}

// ListMembers is ObjectMembers for a list answer, in one pass: the elements
// of the array member listKey go to elem as they are split, before fn is
// called with that member's raw value.
func ListMembers(obj []byte, listKey string, elem func(val []byte) error, fn func(key string, val []byte) error) error {
	split := func(key, b []byte, i int) (int, bool, error) {
		if b[i] != '[' || string(key) != listKey {
			return 0, false, nil
		}
		end, err := arrayElements(b, i, elem)
		return end, true, err
	}
	return members(obj, func(key, val []byte) error { return fn(string(key), val) }, split)
}

// valueScanner may read a member's value itself, in the same pass (splitting
// an array or an object that the caller wants split): given the key and the
// value's start b[i], it returns the index just past the value and true, or
// false to have the value skipped.
type valueScanner func(key, b []byte, i int) (end int, scanned bool, err error)

// members splits the object obj, handing each value to scan first if set.
// fn gets each key as a sub-slice of obj, or a decoded copy when it has
// escapes.
func members(obj []byte, fn func(key, val []byte) error, scan valueScanner) error {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return fmt.Errorf("%w: want an object", errSyntax)
	}
	_, err := membersAt(obj, i, fn, scan)
	return err
}

// membersAt splits the object that starts at b[i] == '{' and returns the
// index just past it.
func membersAt(b []byte, i int, fn func(key, val []byte) error, scan valueScanner) (int, error) {
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, errSyntax
		}
		end, escaped, err := skipKey(b, i)
		if err != nil {
			return 0, err
		}
		key, err := decodeKey(b[i:end], escaped)
		if err != nil {
			return 0, err
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return 0, errSyntax
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return 0, errSyntax
		}
		vend, scanned := 0, false
		if scan != nil {
			if vend, scanned, err = scan(key, b, i); err != nil {
				return 0, err
			}
		}
		if !scanned {
			if vend, err = skipValue(b, i); err != nil {
				return 0, err
			}
		}
		if err := fn(key, b[i:vend]); err != nil {
			return 0, err
		}
		i = skipSpace(b, vend)
		if i >= len(b) {
			return 0, errSyntax
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return i + 1, nil
		default:
			return 0, errSyntax
		}
	}
}

// ArrayElements calls fn for each element of the JSON array arr.
func ArrayElements(arr []byte, fn func(val []byte) error) error {
	i := skipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return fmt.Errorf("%w: want an array", errSyntax)
	}
	end, err := arrayElements(arr, i, fn)
	if err != nil {
		return err
	}
	if skipSpace(arr, end) != len(arr) {
		return errSyntax
	}
	return nil
}

// arrayElements calls fn for each element of the array that starts at b[i]
// and returns the index just past it.
func arrayElements(b []byte, i int, fn func(val []byte) error) (int, error) {
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		end, err := skipValue(b, i)
		if err != nil {
			return 0, err
		}
		if err := fn(b[i:end]); err != nil {
			return 0, err
		}
		i = skipSpace(b, end)
		if i >= len(b) {
			return 0, errSyntax
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return i + 1, nil
		default:
			return 0, errSyntax
		}
	}
}

// Member returns the raw value of obj's member key, if present.
func Member(obj []byte, key string) ([]byte, bool) {
	var found []byte
	stop := errors.New("stop")
	err := ObjectMembers(obj, func(k string, v []byte) error {
		if k == key {
			found = v
			return stop
		}
		return nil
	})
	return found, err == stop
}

// decodeKey returns the key inside quoted: a sub-slice when it has no escapes
// (and is valid UTF-8, as encoding/json would otherwise replace bytes).
func decodeKey(quoted []byte, escaped bool) ([]byte, error) {
	if !escaped && utf8.Valid(quoted) {
		return quoted[1 : len(quoted)-1], nil
	}
	var s string
	if err := json.Unmarshal(quoted, &s); err != nil {
		return nil, errSyntax
	}
	return []byte(s), nil
}

// IsNull reports whether a raw value is absent or JSON null.
func IsNull(v []byte) bool {
	return len(v) == 0 || (len(v) == 4 && string(v) == "null")
}

// Str decodes a raw JSON string value.
func Str(v []byte) (string, error) {
	if inner, ok := plainString(v); ok {
		return string(inner), nil
	}
	if len(v) < 2 || v[0] != '"' {
		return "", errSyntax
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", errSyntax
	}
	return s, nil
}

// plainString returns the bytes inside a JSON string that needs no decoding:
// no escapes, no control characters, valid UTF-8.
func plainString(v []byte) ([]byte, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return nil, false
	}
	inner := v[1 : len(v)-1]
	for _, c := range inner {
		if c == '\\' || c < 0x20 {
			return nil, false
		}
	}
	return inner, utf8.Valid(inner)
}
