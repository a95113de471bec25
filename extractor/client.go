package extractor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// DefaultBaseURL is OpenAI's API root.
const DefaultBaseURL = "https://api.openai.com/v1"

// ClientOptions configure a Client.
type ClientOptions struct {
	BaseURL      string // default DefaultBaseURL
	Key          Secret
	Organization string // sent as OpenAI-Organization when set
	UserAgent    string
	Logger       *slog.Logger
	MaxRetries   int           // default 6
	Timeout      time.Duration // per attempt; default 90s
	MinBackoff   time.Duration // default 500ms
	MaxBackoff   time.Duration // default 8s
	MaxRetryWait time.Duration // longest server-given delay honoured; default 60s
	// RequestsPerSecond caps the rate of requests of every client sharing the
	// gate; 0 means no cap.
	RequestsPerSecond float64
	// Concurrency is the most requests in flight at once; default 4.
	Concurrency int
	// Transport is the HTTP transport (tests); default a clean pooled one.
	Transport http.RoundTripper
}

// Client reads the OpenAI API: GET only, with OpenAI's retry rules.
type Client struct {
	opts         ClientOptions
	base         *url.URL
	http         *retryablehttp.Client
	key          Secret
	log          *slog.Logger
	gate         *gate
	maxRetryWait time.Duration
	slots        chan struct{} // requests in flight
}

// Response is a successful answer.
type Response struct {
	Body      []byte
	RequestID string
	Attempts  int
}

type attemptsKey struct{}

// NewClient builds a client. Clients made from one another with WithKey share
// the retry gate.
func NewClient(opts ClientOptions) (*Client, error) {
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	base, err := url.Parse(strings.TrimRight(opts.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("base URL %q: want http(s)://host/path", opts.BaseURL)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 6
	}
	if opts.Timeout == 0 {
		opts.Timeout = 90 * time.Second
	}
	if opts.MinBackoff == 0 {
		opts.MinBackoff = 500 * time.Millisecond
	}
	if opts.MaxBackoff == 0 {
		opts.MaxBackoff = 8 * time.Second
	}
	if opts.MaxRetryWait == 0 {
		opts.MaxRetryWait = time.Minute
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "openai-sync"
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	c := &Client{opts: opts, base: base, key: opts.Key, log: opts.Logger, gate: newGate(opts.RequestsPerSecond),
		maxRetryWait: opts.MaxRetryWait, slots: make(chan struct{}, opts.Concurrency)}
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryMax = opts.MaxRetries
	rc.RetryWaitMin, rc.RetryWaitMax = opts.MinBackoff, opts.MaxBackoff
	rc.CheckRetry = c.checkRetry
	rc.Backoff = c.backoff
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	transport := opts.Transport
	if transport == nil {
		transport = rc.HTTPClient.Transport
	}
	rc.HTTPClient = &http.Client{
		Timeout:   opts.Timeout,
		Transport: &headerTransport{base: transport, client: c, org: opts.Organization, agent: opts.UserAgent},
	}
	rc.RequestLogHook = func(_ retryablehttp.Logger, r *http.Request, attempt int) {
		if n, ok := r.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
			n.Add(1)
		}
		if attempt > 0 {
			c.log.Warn("retrying request", "path", r.URL.Path, "attempt", attempt)
		}
	}
	c.http = rc
	return c, nil
}

// WithKey returns a client for another key that shares this one's request
// limit and retry pause: one rate policy for every key of a run.
func (c *Client) WithKey(key Secret) *Client {
	opts := c.opts
	opts.Key = key
	n, err := NewClient(opts)
	if err != nil { // the options were valid for c
		panic(err)
	}
	n.gate, n.slots = c.gate, c.slots
	return n
}

type headersKey struct{}

// WithHeaders makes every request made with ctx carry the headers.
func WithHeaders(ctx context.Context, h http.Header) context.Context {
	if len(h) == 0 {
		return ctx
	}
	return context.WithValue(ctx, headersKey{}, h)
}

// headerTransport adds the Authorization and identification headers at the
// last moment, so no hook or logger ever sees the key, and waits at the gate.
type headerTransport struct {
	base   http.RoundTripper
	client *Client
	org    string
	agent  string
}

func (t *headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.client.gate.wait(r.Context()); err != nil {
		return nil, err
	}
	r2 := r.Clone(r.Context())
	// The key goes to the API's host only: never to a host a redirect names.
	if t.client.key != "" && r.URL.Host == t.client.base.Host {
		r2.Header.Set("Authorization", "Bearer "+t.client.key.Reveal())
	}
	if t.org != "" {
		r2.Header.Set("OpenAI-Organization", t.org)
	}
	r2.Header.Set("User-Agent", t.agent)
	if h, ok := r.Context().Value(headersKey{}).(http.Header); ok {
		for k, v := range h {
			r2.Header[k] = v
		}
	}
	r2.Header.Set("Accept", "application/json")
	return t.base.RoundTrip(r2)
}

// checkRetry follows OpenAI's SDK: retry connection errors, 408, 409, 429 and
// 5xx; obey x-should-retry; never retry other 4xx. (A 2xx whose body is not
// complete JSON is requested again by the page loop, which reads it anyway.)
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	switch resp.Header.Get("X-Should-Retry") {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	switch resp.StatusCode {
	case 408, 409, 429:
		return true, nil
	}
	return resp.StatusCode >= 500, nil
}

// backoff honours Retry-After-Ms and Retry-After (up to MaxRetryWait) and
// closes the shared gate for that long on a 429; otherwise it waits
// MinBackoff·2ⁿ capped at MaxBackoff, less up to 25 % jitter.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header); ok && d <= c.maxRetryWait {
			if resp.StatusCode == 429 {
				c.gate.pause(d)
			}
			return d
		}
	}
	d := minWait << min(attempt, 20)
	if d > maxWait || d <= 0 {
		d = maxWait
	}
	d -= time.Duration(rand.Float64() * 0.25 * float64(d))
	if resp != nil && resp.StatusCode == 429 {
		c.gate.pause(d)
	}
	return d
}

func retryAfter(h http.Header) (time.Duration, bool) {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 {
			return time.Duration(f * float64(time.Millisecond)), true
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 {
			return time.Duration(f * float64(time.Second)), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(time.Until(t), 0), true
		}
	}
	return 0, false
}

// Get sends GET base+path?query and returns the body of a 2xx answer (its
// JSON is checked by whoever reads it: the page loop). Other answers are
// *APIError.
func (c *Client) Get(ctx context.Context, path string, query url.Values) (*Response, error) {
	return c.get(ctx, path, query, 0)
}

// get is Get with the expected size of the body (a listing's previous page),
// so that reading it does not copy it again and again as it grows.
func (c *Client) get(ctx context.Context, path string, query url.Values, sizeHint int) (*Response, error) {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = query.Encode()
	shown := path
	if u.RawQuery != "" {
		shown += "?" + u.RawQuery
	}
	var attempts atomic.Int32
	ctx = context.WithValue(ctx, attemptsKey{}, &attempts)
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", shown, err)
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("GET %s: %w", shown, ctx.Err())
	}
	defer func() { <-c.slots }()
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("GET %s: %w", shown, ctx.Err())
		}
		return nil, fmt.Errorf("GET %s: %s", shown, c.key.scrub(err.Error()))
	}
	defer resp.Body.Close()
	body, err := readBody(resp, sizeHint)
	reqID := c.key.scrub(resp.Header.Get("X-Request-Id"))
	c.log.Debug("response", "path", path, "status", resp.StatusCode, "request_id", reqID,
		"attempts", attempts.Load(), "duration_ms", time.Since(start).Milliseconds(), "bytes", len(body))
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, fmt.Errorf("GET %s: %w", shown, ctx.Err())
	case err != nil && ok:
		return &Response{RequestID: reqID, Attempts: int(attempts.Load())},
			fmt.Errorf("GET %s: %w: %s", shown, errBodyCut, c.key.scrub(err.Error()))
	case err != nil:
		body = nil // an error answer cut short: its status says enough, and a part could hold part of an echoed key
	}
	if !ok {
		// Scrubbed before decoding, which shortens a body that is not
		// JSON (a cut could leave part of the key), and after, for a key
		// the JSON escaped.
		e := decodeAPIError(resp.StatusCode, []byte(c.key.scrub(string(body))))
		e.Method, e.Path, e.RequestID = http.MethodGet, shown, reqID
		for _, f := range []*string{&e.Message, &e.Type, &e.Code, &e.Param} {
			*f = c.key.scrub(*f)
		}
		return nil, e
	}
	return &Response{Body: body, RequestID: reqID, Attempts: int(attempts.Load())}, nil
}

// errBodyCut is a successful answer whose body broke off while it was read
// (a connection reset, the per-attempt timeout): the request may be sent
// again. get returns it with a Response that counts the attempts.
var errBodyCut = errors.New("the answer broke off while it was read")

// readBody reads a whole body into a buffer sized from Content-Length, else
// from the size hint.
func readBody(resp *http.Response, sizeHint int) ([]byte, error) {
	n := sizeHint + sizeHint/8
	if resp.ContentLength > 0 {
		n = int(min(resp.ContentLength, 64<<20)) // a header is no reason to allocate more
	}
	buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
	_, err := buf.ReadFrom(resp.Body)
	return buf.Bytes(), err
}

// KeyRedacted is the client's key as it may be shown ("sk-admin-…abcd").
func (c *Client) KeyRedacted() string { return Redact(c.key.Reveal()) }

// scrub removes the client's key from a text.
func (c *Client) scrub(text string) string {
	if c == nil {
		return text
	}
	return c.key.scrub(text)
}

// IsAPIError unwraps err to an *APIError.
func IsAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}
