package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnknownFieldNamesItsLine(t *testing.T) {
	_, err := parse("c.yaml", []byte("projects:\n  - id: proj_a\n    key_env: K\nrun:\n  bucket_widht: 1h\n"))
	if err == nil || !strings.Contains(err.Error(), "line 5") || !strings.Contains(err.Error(), "bucket_widht") {
		t.Fatalf("err = %v, want the misspelt field and its line", err)
	}
}

func TestKeyFileReadableByOthersIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "k")
	if err := os.WriteFile(path, []byte("sk-proj-abc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadKeyFile(path)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") || strings.Contains(err.Error(), "sk-proj-abc") {
		t.Fatalf("err = %v, want a refusal that says how to fix the mode and not the key", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if key, err := ReadKeyFile(path); err != nil || key != "sk-proj-abc" {
		t.Fatalf("key %q, %v", key, err)
	}
}

func TestProjectsNeedExactlyOneKeySource(t *testing.T) {
	for _, y := range []string{
		"projects:\n  - id: proj_a\n",
		"projects:\n  - id: proj_a\n    key_env: A\n    key_file: f\n",
		"projects:\n  - id: nope\n    key_env: A\n",
		"projects:\n  - id: proj_a\n    key: sk-proj-inline\n",
	} {
		if _, err := parse("c.yaml", []byte(y)); err == nil {
			t.Errorf("accepted:\n%s", y)
		}
	}
	f, err := parse("c.yaml", []byte("admin:\n  key_env: ADMIN\nprojects:\n  - id: proj_a\n    key_env: A\nrun:\n  streams: [files, batches]\n  concurrency: 8\n"))
	if err != nil || len(f.Projects) != 1 || f.Run.Concurrency != 8 || len(f.Run.Streams) != 2 {
		t.Fatalf("%+v %v", f, err)
	}
	key, err := f.Projects[0].Resolve(func(k string) string { return map[string]string{"A": "sk-proj-x"}[k] })
	if err != nil || key != "sk-proj-x" {
		t.Fatalf("%q %v", key, err)
	}
}

func TestAKeyPastedAsKeyEnvIsRefusedWithoutEchoingIt(t *testing.T) {
	_, err := KeySource{KeyEnv: "sk-admin-0123456789abcdef"}.Resolve(func(string) string { return "" })
	if err == nil || strings.Contains(err.Error(), "0123456789abcdef") {
		t.Fatalf("err = %v", err)
	}
}

func TestAKeyPastedIntoAnotherFieldIsRefusedWithoutEchoingIt(t *testing.T) {
	const key = "sk-proj-0123456789abcdef"
	for _, doc := range []string{
		"organization: " + key,
		"admin:\n  key_file: " + key,
		"projects:\n  - id: " + key + "\n    key_env: X",
		"projects:\n  - id: proj_a\n    key_file: " + key,
	} {
		_, err := parse("openai-sync.yaml", []byte(doc))
		if err == nil || strings.Contains(err.Error(), "0123456789abcdef") || !strings.Contains(err.Error(), "looks like an API key") {
			t.Errorf("%q: err = %v, want a refusal that does not repeat the key", doc, err)
		}
	}
}

func TestAKeyGivenAsAKeyFilePathIsNotEchoed(t *testing.T) {
	_, err := ReadKeyFile("sk-admin-0123456789abcdef")
	if err == nil || strings.Contains(err.Error(), "0123456789abcdef") {
		t.Fatalf("err = %v", err)
	}
}
