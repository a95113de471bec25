package extractor

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// Paging is how an endpoint pages (see reference/openai-api.md §2).
type Paging int

const (
	// PagingNone: the answer is one object (a settings singleton).
	PagingNone Paging = iota
	// PagingList: {"object":"list","data":[…]} with no paging (/models).
	PagingList
	// PagingCursor (L1): after=last_id, or the last item's id where last_id is absent.
	PagingCursor
	// PagingNext (L2): after=next.
	PagingNext
	// PagingPage (P): page=next_page, every other parameter unchanged.
	PagingPage
)

var pagingNames = [...]string{"none", "list", "cursor", "next", "page"}

func (p Paging) String() string { return pagingNames[p] }

// Page is one answer of a listing.
type Page struct {
	Number    int
	Items     [][]byte // raw JSON objects: list items, or buckets for PagingPage
	RequestID string
	Attempts  int // HTTP requests this page took, retries included
	size      int // bytes of the answer
}

type envelope struct {
	data     []byte
	items    [][]byte // the elements of data
	hasMore  bool
	lastID   string
	next     string
	nextPage string
}

// parseEnvelope reads a list answer in one pass: its paging members, and
// data split into its elements on the way (a repeated data member: the last
// one wins, as in encoding/json).
func parseEnvelope(body []byte) (envelope, error) {
	var e envelope
	var elems [][]byte
	split := func(v []byte) error {
		elems = append(elems, v)
		return nil
	}
	err := schema.ListMembers(body, "data", split, func(k string, v []byte) error {
		var err error
		switch k {
		case "data":
			e.data, e.items, elems = v, elems, nil
		case "has_more":
			e.hasMore = string(v) == "true"
		case "last_id":
			if !schema.IsNull(v) {
				e.lastID, err = schema.Str(v)
			}
		case "next":
			if !schema.IsNull(v) {
				e.next, err = schema.Str(v)
			}
		case "next_page":
			if !schema.IsNull(v) {
				e.nextPage, err = schema.Str(v)
			}
		}
		return err
	})
	return e, err
}

// Pages reads every page of a listing and calls fn with each, in order. It
// ends on has_more=false; a page that claims more but gives no cursor, or a
// cursor seen before, is an error, never an endless loop or a silent
// truncation. The next page is requested while fn handles the current one.
func (c *Client) Pages(ctx context.Context, path string, query url.Values, paging Paging, fn func(Page) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan Page, 1)
	fetched := make(chan error, 1)
	go func() {
		defer close(pages)
		fetched <- c.fetchPages(ctx, path, query, paging, func(p Page) error {
			select {
			case pages <- p:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	for p := range pages {
		if err := fn(p); err != nil {
			cancel()
			for range pages {
			}
			<-fetched
			return err
		}
	}
	return <-fetched
}

// fetchPages is the request loop of Pages.
func (c *Client) fetchPages(ctx context.Context, path string, query url.Values, paging Paging, fn func(Page) error) error {
	q := maps.Clone(query)
	if q == nil {
		q = url.Values{}
	}
	var loop circle
	size := 0 // of the last page's body
	for n := 1; ; n++ {
		page, env, err := c.getPage(ctx, path, q, paging, n, size)
		if err != nil {
			return err
		}
		size = page.size
		if paging == PagingNone {
			return fn(page)
		}
		if err := fn(page); err != nil {
			return err
		}
		if !env.hasMore || paging == PagingList {
			return nil
		}
		param, cursor := "after", ""
		switch paging {
		case PagingCursor:
			cursor = env.lastID
			if cursor == "" && len(page.Items) > 0 {
				if id, ok := schema.Member(page.Items[len(page.Items)-1], "id"); ok {
					cursor, _ = schema.Str(id)
				}
			}
		case PagingNext:
			cursor = env.next
		case PagingPage:
			param, cursor = "page", env.nextPage
		}
		if cursor == "" {
			return fmt.Errorf("GET %s page %d: has_more is true but there is no cursor to go on with (request %s): refusing to stop early or loop", path, n, page.RequestID)
		}
		if cursor == q.Get(param) || loop.back(cursor) {
			return fmt.Errorf("GET %s page %d: the cursor %q repeats, the listing does not advance (request %s)", path, n, cursor, page.RequestID)
		}
		q.Set(param, cursor)
	}
}

// getPage requests one page and splits it. Splitting reads every byte of the
// answer, so it is also the check that the answer is complete JSON: a page
// cut short or replaced by an HTML error page is requested again, with the
// client's backoff, up to its retry limit.
func (c *Client) getPage(ctx context.Context, path string, q url.Values, paging Paging, n, sizeHint int) (Page, envelope, error) {
	var lastErr error
	attempts := 0
	for try := 0; try <= c.opts.MaxRetries; try++ {
		if try > 0 {
			d := c.backoff(c.opts.MinBackoff, c.opts.MaxBackoff, try, nil)
			c.log.Warn("malformed or broken-off page, requesting it again", "path", path, "page", n, "attempt", try, "error", lastErr)
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return Page{}, envelope{}, ctx.Err()
			case <-t.C:
			}
		}
		resp, err := c.get(ctx, path, q, sizeHint)
		if errors.Is(err, errBodyCut) {
			attempts += resp.Attempts
			lastErr = fmt.Errorf("%w (page %d)", err, n)
			continue
		}
		if err != nil {
			return Page{}, envelope{}, err
		}
		attempts += resp.Attempts
		page := Page{Number: n, RequestID: resp.RequestID, Attempts: attempts, size: len(resp.Body)}
		env, err := splitPage(resp.Body, paging, &page)
		if err == nil {
			return page, env, nil
		}
		lastErr = fmt.Errorf("GET %s page %d: %w (request %s)", path, n, err, resp.RequestID)
	}
	return Page{}, envelope{}, fmt.Errorf("%w; still malformed after %d attempts", lastErr, c.opts.MaxRetries+1)
}

// splitPage checks the answer's structure and fills page.Items.
func splitPage(body []byte, paging Paging, page *Page) (envelope, error) {
	if paging == PagingNone {
		if err := schema.ObjectMembers(body, func(string, []byte) error { return nil }); err != nil {
			return envelope{}, err
		}
		page.Items = [][]byte{body}
		return envelope{}, nil
	}
	env, err := parseEnvelope(body)
	if err != nil {
		return env, err
	}
	if schema.IsNull(env.data) || env.data[0] != '[' {
		return env, fmt.Errorf("the answer has no data array")
	}
	page.Items = env.items
	return env, nil
}

// circle finds a listing whose cursors go round in a circle, in constant
// memory: remembering every cursor would grow with the listing (10,000 pages
// for a million audit events). It remembers the last few cursors, which
// catches a short circle at its first repeat, and one cursor kept at the
// 1st, 2nd, 4th, 8th, … page (Brent's cycle detection): once that cursor
// lies on a longer circle, the circle brings it back before it is replaced:
// a circle of k pages after m others is refused by page 2·max(m+1, k)+k. The
// pages of a longer circle read again before that are merged by key like
// any page read twice (a row is current once per primary key).
// Cursors are compared as hashes: a false match (1 in 2^64) stops the
// listing with an error, never skips a page.
type circle struct {
	seed   maphash.Seed
	recent [16]uint64 // the last cursors, by n modulo 16
	n      int        // cursors met
	kept   uint64
}

// back reports whether the cursor was met before, then remembers it.
func (c *circle) back(cursor string) bool {
	if c.n == 0 {
		c.seed = maphash.MakeSeed()
	}
	h := maphash.String(c.seed, cursor)
	if c.n > 0 && h == c.kept || slices.Contains(c.recent[:min(c.n, len(c.recent))], h) {
		return true
	}
	c.recent[c.n%len(c.recent)] = h
	if c.n++; c.n&(c.n-1) == 0 {
		c.kept = h
	}
	return false
}
