package sandbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// testNow is the sandbox clock in tests: 2025-10-09T08:53:20Z.
const testNow = 1760000000

func fixedClock() time.Time { return time.Unix(testNow, 0).UTC() }

// start serves a sandbox at <httptest>/v1 and returns it with an admin client.
func start(t *testing.T, opts Options) (*Server, *client) {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = fixedClock
	}
	s := New(opts)
	return s, serve(t, s)
}

// serve mounts s at <httptest>/v1 and returns an admin client for it.
func serve(t *testing.T, s *Server) *client {
	t.Helper()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return &client{t: t, base: ts.URL + "/v1", key: s.AdminKey()}
}

// client is a plain net/http client for the sandbox.
type client struct {
	t    *testing.T
	base string
	key  string
}

func (c *client) with(key string) *client { return &client{t: c.t, base: c.base, key: key} }

type response struct {
	status int
	header http.Header
	body   []byte
}

func (c *client) do(ctx context.Context, method, path string, q url.Values) (response, error) {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return response{}, err
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: body}, err
}

func (c *client) get(path string, q url.Values) response {
	c.t.Helper()
	r, err := c.do(context.Background(), http.MethodGet, path, q)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	return r
}

// getOK fetches a 200 JSON body into v.
func (c *client) getOK(path string, q url.Values, v any) {
	c.t.Helper()
	r := c.get(path, q)
	if r.status != http.StatusOK {
		c.t.Fatalf("GET %s?%s: status %d: %s", path, q.Encode(), r.status, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		c.t.Fatalf("GET %s: decode: %v: %s", path, err, r.body)
	}
}

type l1Page struct {
	Object  string            `json:"object"`
	Data    []json.RawMessage `json:"data"`
	FirstID *string           `json:"first_id"`
	LastID  *string           `json:"last_id"`
	HasMore bool              `json:"has_more"`
}

type l2Page struct {
	Object  string            `json:"object"`
	Data    []json.RawMessage `json:"data"`
	HasMore bool              `json:"has_more"`
	Next    *string           `json:"next"`
}

func field(t *testing.T, raw json.RawMessage, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	s, _ := m[name].(string)
	return s
}

func clone(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

const maxPages = 10000

// walkL1 pages an L1 list with after=last_id and returns the items' idField.
func (c *client) walkL1(path string, q url.Values, idField string) ([]string, []json.RawMessage) {
	c.t.Helper()
	var ids []string
	var items []json.RawMessage
	q = clone(q)
	for range maxPages {
		var p l1Page
		c.getOK(path, q, &p)
		if p.Object != "list" {
			c.t.Fatalf("%s: object %q", path, p.Object)
		}
		for _, d := range p.Data {
			ids = append(ids, field(c.t, d, idField))
		}
		items = append(items, p.Data...)
		if len(p.Data) > 0 && (p.FirstID == nil || *p.FirstID != field(c.t, p.Data[0], "id") ||
			p.LastID == nil || *p.LastID != field(c.t, p.Data[len(p.Data)-1], "id")) {
			c.t.Fatalf("%s: first_id/last_id do not match the page", path)
		}
		if !p.HasMore {
			return ids, items
		}
		if p.LastID == nil || *p.LastID == q.Get("after") {
			c.t.Fatalf("%s: has_more with a cursor that does not advance", path)
		}
		q.Set("after", *p.LastID)
	}
	c.t.Fatalf("%s: more than %d pages", path, maxPages)
	return nil, nil
}

// walkL2 pages an L2 list with after=next.
func (c *client) walkL2(path string, q url.Values, idField string) []string {
	c.t.Helper()
	var ids []string
	q = clone(q)
	for range maxPages {
		var p l2Page
		c.getOK(path, q, &p)
		for _, d := range p.Data {
			ids = append(ids, field(c.t, d, idField))
		}
		if !p.HasMore {
			if p.Next != nil {
				c.t.Fatalf("%s: next %q on the last page", path, *p.Next)
			}
			return ids
		}
		if p.Next == nil || *p.Next == q.Get("after") {
			c.t.Fatalf("%s: has_more with a cursor that does not advance", path)
		}
		q.Set("after", *p.Next)
	}
	c.t.Fatalf("%s: more than %d pages", path, maxPages)
	return nil
}

// apiErr decodes an error envelope, checking all four keys are present.
func apiErr(t *testing.T, r response) errorBody {
	t.Helper()
	var raw struct {
		Error map[string]json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatalf("status %d: not an error envelope: %v: %s", r.status, err, r.body)
	}
	for _, k := range []string{"message", "type", "param", "code"} {
		if _, ok := raw.Error[k]; !ok {
			t.Fatalf("error envelope without %q: %s", k, r.body)
		}
	}
	var env errorEnvelope
	_ = json.Unmarshal(r.body, &env)
	return env.Error
}

func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
