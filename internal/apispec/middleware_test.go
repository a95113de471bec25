package apispec

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeAPI stands in for the sandbox: one good route and a few deliberately bad ones.
func fakeAPI() http.Handler {
	mux := http.NewServeMux()
	writeJSON := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
	mux.HandleFunc("GET /v1/organization/users", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, usersList)
	})
	mux.HandleFunc("GET /v1/organization/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case "user_bad": // wrong type
			writeJSON(w, http.StatusOK, `{"object":"organization.user","id":"user_bad","added_at":"yesterday"}`)
		case "user_html": // injected fault: an HTML gateway page
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
		case "user_cut": // injected fault: the connection drops mid-body
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", fmt.Sprint(len(usersList)))
			_, _ = io.WriteString(w, usersList[:30])
		case "user_abort":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"object":`)
			panic(http.ErrAbortHandler)
		case "user_plain": // forgot the Content-Type: net/http sniffs text/plain
			_, _ = io.WriteString(w, `{"object":"organization.user","id":"user_plain","added_at":1}`)
		default:
			writeJSON(w, http.StatusNotFound, `{"error":{"message":"No such user","type":"invalid_request_error","param":null,"code":null}}`)
		}
	})
	mux.HandleFunc("GET /v1/organization/usage/completions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2")
		writeJSON(w, http.StatusTooManyRequests, `{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}`)
	})
	mux.HandleFunc("GET /v1/organization/made_up", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{}`)
	})
	return mux
}

func get(t *testing.T, srv *httptest.Server, target string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secretKey)
	resp, err := srv.Client().Do(req)
	if err != nil {
		return // the faults drop connections on purpose
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}

func TestMiddleware(t *testing.T) {
	s := loaded(t)
	h, rec := s.Middleware(fakeAPI())
	srv := httptest.NewServer(h)
	defer srv.Close()

	tests := []struct {
		target string
		want   []Kind
		text   string
	}{
		{target: "/v1/organization/users?limit=2&after=user_abc"},
		{target: "/v1/organization/users?bogus=1", want: []Kind{KindQuery}, text: `undeclared query parameter "bogus"`},
		{target: "/v1/organization/users/user_bad", want: []Kind{KindBody}, text: "$.added_at: got string, want integer"},
		{target: "/v1/organization/users/user_html", want: []Kind{KindMalformed}, text: "not JSON"},
		{target: "/v1/organization/users/user_cut", want: []Kind{KindMalformed}, text: "Content-Length"},
		{target: "/v1/organization/users/user_abort", want: []Kind{KindMalformed}, text: "aborted"},
		{target: "/v1/organization/users/user_plain", want: []Kind{KindHeader}, text: "text/plain"},
		{target: "/v1/organization/users/user_gone"}, // undeclared 404: a note, not a violation
		{target: "/v1/organization/usage/completions?start_time=1&bucket_width=1d"},
		{target: "/v1/organization/made_up", want: []Kind{KindRoute}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			before := len(rec.Details())
			get(t, srv, tt.target)
			got := rec.Details()[before:]
			for _, v := range got {
				t.Log(v.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d violations, want kinds %v", len(got), tt.want)
			}
			for i, v := range got {
				if v.Kind != tt.want[i] {
					t.Errorf("violation %d kind %s, want %s", i, v.Kind, tt.want[i])
				}
			}
			if tt.text != "" && !strings.Contains(got[0].Error(), tt.text) {
				t.Errorf("violation %q does not mention %q", got[0].Error(), tt.text)
			}
		})
	}

	if n := rec.Exchanges(); n != len(tests) {
		t.Errorf("Exchanges() = %d, want %d", n, len(tests))
	}
	ops := rec.Operations()
	if ops["list-users"] != 2 || ops["retrieve-user"] != 6 || ops["usage-completions"] != 1 {
		t.Errorf("Operations() = %v", ops)
	}
	if notes := rec.Notes(); len(notes) != 1 || !strings.Contains(notes[0], "status 404 is not declared") {
		t.Errorf("Notes() = %q, want the undeclared 404", notes)
	}
	for _, line := range append(rec.Violations(), rec.Notes()...) {
		if strings.Contains(line, "TESTSECRET") {
			t.Errorf("leaks the key: %s", line)
		}
	}
}

func TestMiddlewareConcurrent(t *testing.T) {
	s := loaded(t)
	h, rec := s.Middleware(fakeAPI())
	srv := httptest.NewServer(h)
	defer srv.Close()

	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if i%2 == 0 {
				get(t, srv, "/v1/organization/users?limit=10")
			} else {
				get(t, srv, "/v1/organization/users/user_bad")
			}
		})
	}
	wg.Wait()
	if got := rec.Exchanges(); got != n {
		t.Errorf("Exchanges() = %d, want %d", got, n)
	}
	if got := len(rec.Violations()); got != n/2 {
		t.Errorf("%d violations, want %d: %v", got, n/2, rec.Violations())
	}
}
