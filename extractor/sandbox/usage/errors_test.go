package usage

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// expectError checks OpenAI's error envelope: all four keys, the type, the
// param, and a null code.
func expectError(t *testing.T, h http.Handler, path string, q url.Values, status int, param string) {
	t.Helper()
	code, body := do(t, h, path, q)
	if code != status {
		t.Fatalf("GET %s?%s: status %d, want %d: %s", path, q.Encode(), code, status, body)
	}
	var env struct {
		Error map[string]any `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("decode error: %v: %s", err, body)
	}
	e := env.Error
	for _, k := range []string{"message", "type", "param", "code"} {
		if _, ok := e[k]; !ok {
			t.Errorf("error lacks %q: %s", k, body)
		}
	}
	if msg, _ := e["message"].(string); msg == "" || e["type"] != "invalid_request_error" || e["code"] != nil {
		t.Errorf("bad envelope: %s", body)
	}
	var wantParam any
	if param != "" {
		wantParam = param
	}
	if e["param"] != wantParam {
		t.Errorf("param %v, want %v: %s", e["param"], wantParam, body)
	}
}

func TestBadRequests(t *testing.T) {
	s := newTestServer()
	start := itoa(testNow.Add(-day(3)).Unix())
	cases := []struct {
		family string
		query  string
		param  string
	}{
		{"completions", "", "start_time"},
		{"completions", "start_time=abc", "start_time"},
		{"completions", "start_time=" + start + "&end_time=" + start, "end_time"},
		{"completions", "start_time=" + start + "&bucket_width=1w", "bucket_width"},
		{"costs", "start_time=" + start + "&bucket_width=1h", "bucket_width"},
		{"completions", "start_time=" + start + "&group_by=size", "group_by"},
		{"embeddings", "start_time=" + start + "&group_by=project_id,batch", "group_by"},
		{"vector_stores", "start_time=" + start + "&group_by[]=user_id", "group_by"},
		{"costs", "start_time=" + start + "&group_by=model", "group_by"},
		{"completions", "start_time=" + start + "&batch=maybe", "batch"},
		{"images", "start_time=" + start + "&sizes[]=10x10", "sizes"},
		{"web_search_calls", "start_time=" + start + "&context_levels=extreme", "context_levels"},
	}
	for _, c := range cases {
		q, err := url.ParseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		expectError(t, s, familyPath(s, c.family), q, http.StatusBadRequest, c.param)
	}
	expectError(t, s, "/organization/usage/nope", url.Values{}, http.StatusNotFound, "")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/organization/costs?start_time="+start, strings.NewReader("{}")))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", rec.Code)
	}
}
