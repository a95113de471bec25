// Package config reads openai-sync.yaml: where each key comes from (never the
// key itself), the projects to read with their own keys, and defaults for
// `run`'s flags.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DefaultPath is read when present and --config is not given.
const DefaultPath = "openai-sync.yaml"

// File is the configuration file.
type File struct {
	BaseURL      string    `yaml:"base_url"`
	Organization string    `yaml:"organization"`
	Admin        KeySource `yaml:"admin"`
	Projects     []Project `yaml:"projects"`
	Run          Run       `yaml:"run"`
}

// KeySource says where a key comes from: an environment variable or a file
// that only its owner can read.
type KeySource struct {
	KeyEnv  string `yaml:"key_env"`
	KeyFile string `yaml:"key_file"`
}

// Project is one project read with its own key.
type Project struct {
	ID        string `yaml:"id"`
	KeySource `yaml:",inline"`
}

// Run holds defaults for `run` flags; a flag given on the command line wins.
type Run struct {
	Path        string   `yaml:"path"`
	Schema      string   `yaml:"schema"`
	Streams     []string `yaml:"streams"`
	Exclude     []string `yaml:"exclude"`
	Since       string   `yaml:"since"`
	Lookback    string   `yaml:"lookback"`
	BucketWidth string   `yaml:"bucket_width"`
	Concurrency int      `yaml:"concurrency"`
}

// Load reads the file at path. Unknown fields are errors naming their line.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return parse(path, b)
}

func parse(path string, b []byte) (*File, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config %s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if err := f.validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return &f, nil
}

// pastedKey says which field holds what looks like an API key: the file is
// refused without repeating it, and the key is never sent where it does not
// belong (organization is a header).
func (f *File) pastedKey() string {
	fields := map[string]string{"organization": f.Organization, "base_url": f.BaseURL, "admin.key_file": f.Admin.KeyFile}
	for i, p := range f.Projects {
		fields[fmt.Sprintf("projects[%d].id", i)] = p.ID
		fields[fmt.Sprintf("projects[%d].key_file", i)] = p.KeyFile
	}
	for name, v := range fields {
		if looksLikeKey(v) {
			return name
		}
	}
	return ""
}

// looksLikeKey reports whether s is an OpenAI API key (sk-…) rather than
// what the field should hold.
func looksLikeKey(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "sk-") }

func (f *File) validate() error {
	if name := f.pastedKey(); name != "" {
		return fmt.Errorf("%s holds what looks like an API key: the config never holds a key; put it in the environment (key_env) or a file only you can read (key_file)", name)
	}
	seen := map[string]bool{}
	for i, p := range f.Projects {
		if !strings.HasPrefix(p.ID, "proj_") {
			return fmt.Errorf("projects[%d]: id %q is not a project id (proj_…)", i, p.ID)
		}
		if seen[p.ID] {
			return fmt.Errorf("projects[%d]: project %s listed twice", i, p.ID)
		}
		seen[p.ID] = true
		if (p.KeyEnv == "") == (p.KeyFile == "") {
			return fmt.Errorf("project %s: give exactly one of key_env or key_file (never the key itself)", p.ID)
		}
	}
	if f.Admin.KeyEnv != "" && f.Admin.KeyFile != "" {
		return fmt.Errorf("admin: give key_env or key_file, not both")
	}
	return nil
}

// ErrNoKey is a key source that names a key that is not there: an unset
// environment variable, a key file that does not exist. A run skips what
// needs it and goes on; a misconfigured source stays an error of the file.
var ErrNoKey = errors.New("no key")

// Resolve reads the key a source names. getenv reads the environment.
func (k KeySource) Resolve(getenv func(string) string) (string, error) {
	switch {
	case k.KeyEnv != "":
		if !validEnvName(k.KeyEnv) {
			return "", fmt.Errorf("key_env must name an environment variable (like OPENAI_KEY_PROJ_A), not hold a key: move the key into the environment or a key file")
		}
		v := strings.TrimSpace(getenv(k.KeyEnv))
		if v == "" {
			return "", fmt.Errorf("%w: environment variable %s is empty or unset", ErrNoKey, k.KeyEnv)
		}
		return v, nil
	case k.KeyFile != "":
		return ReadKeyFile(k.KeyFile)
	}
	return "", nil
}

// ReadKeyFile reads a key from a file that group and others cannot read.
func ReadKeyFile(path string) (string, error) {
	if looksLikeKey(path) {
		return "", fmt.Errorf("the key file's path looks like an API key: give the path of a file that holds the key")
	}
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: key file %s does not exist", ErrNoKey, path)
	}
	if err != nil {
		return "", fmt.Errorf("key file: %w", err)
	}
	if mode := st.Mode().Perm(); mode&0o077 != 0 {
		return "", fmt.Errorf("key file %s can be read by group or others (mode %04o): refusing it; run `chmod 600 %s`", path, mode, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("key file: %w", err)
	}
	key := strings.TrimSpace(string(b))
	if key == "" {
		return "", fmt.Errorf("key file %s is empty", path)
	}
	return key, nil
}

// validEnvName reports whether s can be an environment variable's name.
func validEnvName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
