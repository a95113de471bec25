package schema

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzObjectMembers checks the splitter against encoding/json: on any input
// that is a valid JSON object, both see the same members with the same values.
func FuzzObjectMembers(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"k\\":"a\\\"b\\","q":"\\\\"}`, `{"a":{"b":[1,"x\"]}"]},"c":null}`, ` { "\u00e9" : "v\\" , "d":[] } `, `{"a":1,}`, `[1]`, `{"a"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want map[string]json.RawMessage
		valid := json.Valid([]byte(s)) && json.Unmarshal([]byte(s), &want) == nil
		got := map[string]json.RawMessage{}
		err := ObjectMembers([]byte(s), func(k string, v []byte) error {
			got[k] = append(json.RawMessage(nil), v...)
			return nil
		})
		if !valid {
			return // must only not panic
		}
		if err != nil {
			t.Fatalf("valid object %q: %v", s, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d members, encoding/json sees %d", s, len(got), len(want))
		}
		for k, v := range want {
			var a, b any
			_ = json.Unmarshal(v, &a)
			if err := json.Unmarshal(got[k], &b); err != nil || !reflect.DeepEqual(a, b) {
				t.Fatalf("%q member %q: %s vs %s", s, k, got[k], v)
			}
		}
	})
}
