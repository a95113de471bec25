package sandbox

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// Faults injects failures. Each EveryX counts all requests the server
// receives (1-based): request n gets fault X when n%EveryX == 0. When several
// match the same request the first in field order wins. Zero disables.
type Faults struct {
	Every429       int           // 429 + error envelope (type "requests", code "rate_limit_exceeded")
	RetryAfter     time.Duration // sent with 429 as Retry-After (ceil seconds, min 1) and Retry-After-Ms; default 20ms / "1"
	Every5xx       int           // 500 with error envelope (type "server_error")
	EveryHTML      int           // 502 with an HTML body (text/html), like a proxy
	EveryTruncated int           // 200 with the real JSON body cut in half (only when the real answer is a 200)
	Latency        time.Duration // added before every response; abandoned when the client goes away
}

type faultKind int

const (
	faultNone faultKind = iota
	fault429
	fault5xx
	faultHTML
	faultTruncated
)

func every(n int64, k int) bool { return k > 0 && n%int64(k) == 0 }

// pick returns the fault for the n-th request.
func (f Faults) pick(n int64) faultKind {
	switch {
	case every(n, f.Every429):
		return fault429
	case every(n, f.Every5xx):
		return fault5xx
	case every(n, f.EveryHTML):
		return faultHTML
	case every(n, f.EveryTruncated):
		return faultTruncated
	}
	return faultNone
}

// retryAfter returns the Retry-After (seconds) and Retry-After-Ms header values.
func (f Faults) retryAfter() (secs, ms string) {
	d := f.RetryAfter
	if d <= 0 {
		return "1", "20"
	}
	s := max(int64(math.Ceil(d.Seconds())), 1)
	ms = strconv.FormatInt(int64((d+time.Millisecond-1)/time.Millisecond), 10)
	return strconv.FormatInt(s, 10), ms
}

func rateLimited(f Faults) *apiError {
	secs, ms := f.retryAfter()
	return &apiError{status: http.StatusTooManyRequests, typ: "requests", code: optional("rate_limit_exceeded"),
		message: "Rate limit reached for organization on requests per min (RPM): Limit 60, Used 60, Requested 1. " +
			"Please try again in " + ms + "ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
		header: http.Header{"Retry-After": {secs}, "Retry-After-Ms": {ms}}}
}

func serverError() *apiError {
	return &apiError{status: http.StatusInternalServerError, typ: "server_error",
		message: "The server had an error while processing your request. Sorry about that!"}
}

const badGatewayHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
	"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"

// writeFault answers with an injected fault other than truncation, and returns the status.
func writeFault(w http.ResponseWriter, k faultKind, f Faults) int {
	switch k {
	case fault429:
		return writeError(w, rateLimited(f))
	case fault5xx:
		return writeError(w, serverError())
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = w.Write([]byte(badGatewayHTML))
	return http.StatusBadGateway
}

// wait sleeps for the configured latency; false when the client went away first.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return false
	case <-t.C:
		return true
	}
}
