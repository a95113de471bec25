package apispec

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// The spec is loaded once per test binary.
var (
	testSpec     *Spec
	testLoadErr  error
	testLoadTime time.Duration
)

func TestMain(m *testing.M) {
	if path := SpecPath(); path != "" {
		start := time.Now()
		testSpec, testLoadErr = Load(path)
		testLoadTime = time.Since(start)
	}
	os.Exit(m.Run())
}

// loaded returns the spec, skipping the test when there is none.
func loaded(t *testing.T) *Spec {
	t.Helper()
	if testLoadErr != nil {
		t.Fatalf("load spec: %v", testLoadErr)
	}
	if testSpec == nil {
		t.Skip("spec not found: set OPENAI_SYNC_SPEC")
	}
	return testSpec
}

const secretKey = "sk-admin-TESTSECRETabcdef0123456789"

func adminRequest(t *testing.T, method, target string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secretKey)
	return req
}

func jsonResponse(status int, body string) *http.Response {
	return &http.Response{
		StatusCode: status,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(body)),
	}
}

// violations returns the *Violation values of errs, failing on anything else and on any
// message that leaks the key.
func violations(t *testing.T, errs []error) []*Violation {
	t.Helper()
	out := make([]*Violation, 0, len(errs))
	for _, err := range errs {
		var v *Violation
		if !errors.As(err, &v) {
			t.Fatalf("error %T is not a *Violation: %v", err, err)
		}
		if strings.Contains(err.Error(), "TESTSECRET") {
			t.Fatalf("violation leaks the key: %v", err)
		}
		out = append(out, v)
	}
	return out
}

func TestLoad(t *testing.T) {
	s := loaded(t)
	t.Logf("loaded %s in %v", s.Path(), testLoadTime)
	if _, err := s.findRoute(http.MethodGet, "/v1/organization/projects/proj_abc/users"); err != nil {
		t.Errorf("templated path: %v", err)
	}
}

func TestSpecPathEnv(t *testing.T) {
	t.Setenv(EnvSpec, "/somewhere/openapi.yaml")
	if got := SpecPath(); got != "/somewhere/openapi.yaml" {
		t.Errorf("SpecPath() = %q, want the $%s value", got, EnvSpec)
	}
}

func TestLoaderNoSpec(t *testing.T) {
	t.Setenv(EnvSpec, "")
	t.Chdir(t.TempDir()) // no go.mod above a temp dir
	var l Loader
	if _, err := l.Spec(); !errors.Is(err, ErrNoSpec) {
		t.Errorf("Loader.Spec() error = %v, want ErrNoSpec", err)
	}
}

func TestRedactor(t *testing.T) {
	h := http.Header{"Authorization": {"Bearer tok_unusual_shape_1234"}}
	got := newRedactor(h).clean("saw tok_unusual_shape_1234 and sk-proj-abc123 and Bearer xyz")
	if strings.Contains(got, "tok_unusual") || strings.Contains(got, "sk-proj-abc123") || strings.Contains(got, "xyz") {
		t.Errorf("clean() = %q, still holds a credential", got)
	}
}

func TestReadBodyUntouched(t *testing.T) {
	s := loaded(t)
	resp := jsonResponse(200, `{"object":"list","data":[],"has_more":false}`)
	before := resp.Body
	body := []byte(`{"object":"list","data":[],"has_more":false}`)
	if errs := s.ValidateResponse(adminRequest(t, "GET", "/v1/organization/users"), resp, body); len(errs) != 0 {
		t.Fatalf("violations: %v", errs)
	}
	if resp.Body != before {
		t.Error("ValidateResponse replaced resp.Body")
	}
	if n, _ := io.Copy(io.Discard, resp.Body); n == 0 {
		t.Error("ValidateResponse consumed resp.Body")
	}
}

func TestLoaderLoadsOnce(t *testing.T) {
	s := loaded(t)
	l := Loader{Path: s.Path()}
	first, err := l.Spec()
	if err != nil {
		t.Fatal(err)
	}
	second, err := l.Spec()
	if err != nil || second != first {
		t.Errorf("second Spec() = %p, %v; want the first spec %p", second, err, first)
	}
}

var _ error = (*Violation)(nil)
