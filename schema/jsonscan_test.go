package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// FuzzObjectMembers checks the splitter against encoding/json: on any input
// that is a valid JSON object, both see the same members with the same values.
func FuzzObjectMembers(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"k\\":"a\\\"b\\","q":"\\\\"}`, `{"a":{"b":[1,"x\"]}"]},"c":null}`, ` { "\u00e9" : "v\\" , "d":[] } `, `{"a":1,}`, `[1]`, `{"a"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := map[string][]byte{}
		err := ObjectMembers([]byte(s), func(k string, v []byte) error {
			got[k] = v
			return nil
		})
		checkMembers(t, s, got, err)
	})
}

// checkMembers fails t unless the members got from s, with err, are those
// encoding/json sees, when s is a valid JSON object (on anything else, the
// splitter must only not panic). It returns what encoding/json sees (nil
// when s is not a valid object).
func checkMembers(t *testing.T, s string, got map[string][]byte, err error) map[string]json.RawMessage {
	t.Helper()
	var want map[string]json.RawMessage
	if !json.Valid([]byte(s)) || json.Unmarshal([]byte(s), &want) != nil || want == nil { // an object, not null
		return nil
	}
	if err != nil {
		t.Fatalf("valid object %q: %v", s, err)
	}
	if len(got) != len(want) {
		t.Fatalf("%q: %d members, encoding/json sees %d", s, len(got), len(want))
	}
	for k, v := range want {
		if !sameJSON(got[k], v) {
			t.Fatalf("%q member %q: %s vs %s", s, k, got[k], v)
		}
	}
	return want
}

// FuzzListMembers checks the one-pass list splitter against encoding/json: on
// any valid object, the elements of its "data" array and its other members
// are those encoding/json sees.
func FuzzListMembers(f *testing.F) {
	for _, s := range []string{`{"data":[]}`, `{"object":"list","data":[{"id":"a"},{"id":"b]"}],"has_more":false}`, `{"data":[1,[2,"]"],{"x":[]}] , "last_id":null}`, `{"data":{"a":1}}`, `{"data":[1,]}`, `{"data":[1]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var elems [][]byte
		got := map[string][]byte{}
		err := ListMembers([]byte(s), "data", func(v []byte) error {
			elems = append(elems, v)
			return nil
		}, func(k string, v []byte) error {
			got[k] = v
			return nil
		})
		want := checkMembers(t, s, got, err)
		if want == nil {
			return
		}
		var wantElems []json.RawMessage
		if json.Unmarshal(want["data"], &wantElems) != nil || strings.Count(s, `"data"`) > 1 {
			return // not one data array: its elements are not compared
		}
		if len(elems) != len(wantElems) {
			t.Fatalf("%q: %d elements, encoding/json sees %d", s, len(elems), len(wantElems))
		}
		for i, v := range wantElems {
			if !sameJSON(elems[i], v) {
				t.Fatalf("%q element %d: %s vs %s", s, i, elems[i], v)
			}
		}
	})
}

// sameJSON reports whether got is JSON that decodes to what want decodes to.
func sameJSON(got, want []byte) bool {
	var a, b any
	_ = json.Unmarshal(want, &a)
	return json.Unmarshal(got, &b) == nil && reflect.DeepEqual(a, b)
}
