package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/openai-sync/openai-sync/extractor"
)

func TestReadmeStreamTableMatchesDeclarations(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	writeStreamsMarkdown(&want, catalogInfo(extractor.DefaultCatalog()))
	_, rest, ok1 := strings.Cut(string(readme), "<!-- streams:begin -->\n")
	got, _, ok2 := strings.Cut(rest, "<!-- streams:end -->")
	if !ok1 || !ok2 {
		t.Fatal("README lacks the streams markers")
	}
	if got != want.String() {
		t.Fatalf("README stream table is stale: run `make readme` and paste it between the markers\nwant:\n%s", want.String())
	}
}

func TestStreamsJSONListsTheCatalogue(t *testing.T) {
	h := &harness{t: t, env: map[string]string{}}
	out, _ := h.mustRun(exitOK, "streams", "--json")
	var list []streamInfo
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	cat := extractor.DefaultCatalog()
	if err := cat.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(list) != len(cat) || list[0].Stream != cat[0].Name || len(list[0].PrimaryKey) == 0 {
		t.Fatalf("streams --json: %d entries, want %d", len(list), len(cat))
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	h := &harness{t: t, env: map[string]string{}}
	for _, args := range [][]string{{"run", "--streams", "nope"}, {"run", "--bogus"}, {"run", "--bucket-width", "2d"}, {"state", "show", "nope"},
		{"run", "--batch-rows", "-5"}, {"run", "--max-requests-per-second", "-1"}, {"run", "--wait-for-file", "-1s"}, {"run", "--commit-interval", "-1s"},
		{"streams", "--json", "--markdown"}, {"run", "--memory-limit", "lots"}, {"run", "--memory-limit", "64"}, {"run", "--memory-limit", "64Mi"},
		{"run", "--storage-version", "1.3"}, {"run", "--storage-version", "newest"}} {
		if code, _, errOut := h.run(args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errOut)
		}
	}
}
