package apispec

import "testing"

func TestDedupeRequiredKeepsTheFirstOfEachName(t *testing.T) {
	in := "    X:\n      required:\n        - id\n        - name\n        - id\n      properties:\n        id:\n          type: string\n"
	want := "    X:\n      required:\n        - id\n        - name\n      properties:\n        id:\n          type: string\n"
	if got := string(dedupeRequired([]byte(in))); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
