package extractor

import (
	"context"
	"fmt"
	"maps"
	"net/url"

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
}

type envelope struct {
	data     []byte
	hasMore  bool
	lastID   string
	next     string
	nextPage string
}

func parseEnvelope(body []byte) (envelope, error) {
	var e envelope
	err := schema.ObjectMembers(body, func(k string, v []byte) error {
		var err error
		switch k {
		case "data":
			e.data = v
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
	seen := map[string]bool{}
	for n := 1; ; n++ {
		resp, err := c.Get(ctx, path, q)
		if err != nil {
			return err
		}
		page := Page{Number: n, RequestID: resp.RequestID, Attempts: resp.Attempts}
		if paging == PagingNone {
			page.Items = [][]byte{resp.Body}
			return fn(page)
		}
		env, err := parseEnvelope(resp.Body)
		if err != nil {
			return fmt.Errorf("GET %s page %d: %w (request %s)", path, n, err, resp.RequestID)
		}
		if schema.IsNull(env.data) {
			return fmt.Errorf("GET %s page %d: the answer has no data array (request %s)", path, n, resp.RequestID)
		}
		err = schema.ArrayElements(env.data, func(v []byte) error {
			page.Items = append(page.Items, v)
			return nil
		})
		if err != nil {
			return fmt.Errorf("GET %s page %d: data: %w (request %s)", path, n, err, resp.RequestID)
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
			return fmt.Errorf("GET %s page %d: has_more is true but there is no cursor to go on with (request %s): refusing to stop early or loop", path, n, resp.RequestID)
		}
		if seen[cursor] || cursor == q.Get(param) {
			return fmt.Errorf("GET %s page %d: the cursor %q repeats, the listing does not advance (request %s)", path, n, cursor, resp.RequestID)
		}
		seen[cursor] = true
		q.Set(param, cursor)
	}
}
