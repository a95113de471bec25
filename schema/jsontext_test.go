package schema

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestCleanJSONKeepsCleanTextAndRepairsWhatStrictParsersRefuse(t *testing.T) {
	for _, in := range []string{
		`{"a":"plain","b":[1,2.5e3,true,null],"c":{"d":"é 😀"}}`,
		`{"a":"\ud83d\ude00 \u00e9 \"q\" \\ud800 \/ \b\f\n\r\t"}`,
		"{\n  \"a\": [\n\t1\n  ]\n}",
	} {
		b := []byte(in)
		if out := cleanJSON(b); &out[0] != &b[0] || len(out) != len(b) {
			t.Errorf("cleanJSON(%q) = %q, want the same bytes, not a copy", in, out)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{`{"a":"\ud800"}`, `{"a":"\ufffd"}`},             // high surrogate alone
		{`{"a":"x\udc00y"}`, `{"a":"x\ufffdy"}`},         // low surrogate alone
		{`{"a":"\ud83d\u0041"}`, `{"a":"\ufffd\u0041"}`}, // high surrogate, then no low one
		{`{"a":"\ud83d"}`, `{"a":"\ufffd"}`},
		{`{"a":"\x41"}`, `{"a":"\ufffd41"}`},               // not a JSON escape
		{`{"a":"\uZZ"}`, `{"a":"\ufffdZZ"}`},               // bad \u escape
		{"{\"a\":\"x\ty\x01\"}", `{"a":"x\u0009y\u0001"}`}, // control characters in a string
		{"{\"a\":\"\xff\xfe\"}", "{\"a\":\"\uFFFD\uFFFD\"}"},
		{`{"a":"end\`, `{"a":"end\ufffd`},
	} {
		got := string(cleanJSON([]byte(tc.in)))
		if got != tc.want {
			t.Errorf("cleanJSON(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzCleanJSON: the result never holds what strict parsers refuse; valid
// JSON stays valid and decodes as encoding/json decoded the input (which
// turns unpaired surrogates and bad UTF-8 into U+FFFD too); cleaning twice
// changes nothing more.
func FuzzCleanJSON(f *testing.F) {
	for _, s := range []string{`{"a":"\ud800"}`, `["\udc00\ud83d\ude00"]`, "\"\xff\"", `{"a":"\x"}`, "\"\t\"", `"\\ud800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out := cleanJSON(in)
		if !utf8.Valid(out) || !cleanText(out) {
			t.Fatalf("cleanJSON(%q) = %q, still refused", in, out)
		}
		if again := cleanJSON(out); string(again) != string(out) {
			t.Fatalf("cleaning %q twice: %q then %q", in, out, again)
		}
		if !json.Valid(in) {
			return
		}
		var a, b any
		if err := json.Unmarshal(out, &b); err != nil {
			t.Fatalf("cleanJSON(%q) = %q: %v", in, out, err)
		}
		_ = json.Unmarshal(in, &a)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("cleanJSON(%q) = %q decodes to %v, want %v", in, out, b, a)
		}
	})
}
