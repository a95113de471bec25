package extractor

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// A server (or a proxy in front of it) that echoes the key back, anywhere
// in an error answer, never gets it into the error: not cut short in a long
// body that is not JSON, not in the envelope's fields, not in the request id.
func TestAnEchoedKeyNeverReachesTheError(t *testing.T) {
	const key = "sk-admin-test-0123456789abcdef"
	for name, answer := range map[string]func(w http.ResponseWriter){
		"html body, key across the cut": func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "<html><body>%s Authorization: Bearer %s</body></html>", strings.Repeat("x", 155), key)
		},
		"envelope fields": func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":{"message":"bad %[1]s","type":"t %[1]s","param":"p %[1]s","code":"c %[1]s"}}`, key)
		},
		"escaped in JSON": func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":{"message":"bad \u0073k-admin-test-0123456789abcdef"}}`)
		},
		"error answer cut short": func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", "500")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":{"message":"Incorrect API key provided: %s`, key[:len(key)-3])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		},
		"request id": func(w http.ResponseWriter) {
			w.Header().Set("X-Request-Id", "req "+key)
			w.WriteHeader(http.StatusNotFound)
		},
	} {
		c := testClient(t, func(w http.ResponseWriter, r *http.Request) { answer(w) })
		_, err := c.get(context.Background(), "/things", nil, 0)
		e, ok := IsAPIError(err)
		if !ok {
			t.Fatalf("%s: %v, want an API error", name, err)
		}
		all := fmt.Sprintf("%v %+v", err, *e)
		for n := 6; n <= len(key); n++ { // no part of the key beyond its redacted form's prefix
			if strings.Contains(all, key[:n]) && n > len("sk-admin-") {
				t.Errorf("%s: the error holds %q: %s", name, key[:n], all)
				break
			}
		}
	}
}

// A successful answer that breaks off while its body is read (the
// connection drops) is requested again, like one that arrives cut short.
func TestAnAnswerThatBreaksOffIsRequestedAgain(t *testing.T) {
	var requests atomic.Int32
	c := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 1 {
			w.Header().Set("Content-Length", "55")
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(`{"object":`))
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // drop the connection mid-body
		}
		fmt.Fprint(w, `{"object":"list","data":[{"id":"a"}],"has_more":false}`)
	})
	attempts := 0
	err := c.Pages(context.Background(), "/things", nil, PagingCursor, func(p Page) error {
		attempts += p.Attempts
		return nil
	})
	if err != nil || attempts != 2 || requests.Load() != 2 {
		t.Fatalf("%d requests counted, %d made, err %v; want both counted", attempts, requests.Load(), err)
	}
}

// A key cut short in a text is scrubbed too, from its first characters on.
func TestAKeyCutShortIsScrubbed(t *testing.T) {
	key := Secret("sk-admin-test-0123456789abcdef")
	for _, text := range []string{"msg " + string(key)[:20] + " end", string(key)[:16], "a " + string(key) + " b " + string(key)[:25]} {
		if got := key.scrub(text); strings.Contains(got, string(key)[:12]) {
			t.Errorf("scrub(%q) = %q", text, got)
		}
	}
	if got := key.scrub("sk-admin-other-key is fine"); got != "sk-admin-other-key is fine" {
		t.Errorf("another key's text changed: %q", got)
	}
}
