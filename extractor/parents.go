package extractor

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// parentCache lists each parent stream's ids once per run, for all the
// fan-out streams that need them.
type parentCache struct {
	mu    sync.Mutex
	lists map[string]*parentList
}

type parentList struct {
	once     sync.Once
	items    []parentItem
	requests int
	err      error
}

// parentItem is a parent's id and, when the child stream says which field
// marks a finished parent, when it finished (Unix seconds; 0 if not yet).
type parentItem struct {
	id     string
	doneAt int64
}

func newParentCache() *parentCache { return &parentCache{lists: map[string]*parentList{}} }

// ids returns the ids of every item of the parent stream, and the number of
// requests this call made (0 when another stream already listed them).
// project scopes the listing to one project's key ("" for the admin key).
func (pc *parentCache) ids(ctx context.Context, c *Client, project string, parent *Stream, doneField string) ([]parentItem, int, error) {
	key := project + "/" + parent.Name
	pc.mu.Lock()
	l, ok := pc.lists[key]
	if !ok {
		l = &parentList{}
		pc.lists[key] = l
	}
	pc.mu.Unlock()
	requests := 0
	l.once.Do(func() {
		l.err = c.Pages(ctx, parent.Path, pageQuery(parent), parent.Paging, func(p Page) error {
			l.requests += p.Attempts
			for _, item := range p.Items {
				raw, ok := schema.Member(item, "id")
				if !ok {
					return fmt.Errorf("an item of %s has no id", parent.Name)
				}
				id, err := schema.Str(raw)
				if err != nil {
					return fmt.Errorf("an item of %s has a non-string id: %w", parent.Name, err)
				}
				it := parentItem{id: id}
				if raw, ok := schema.Member(item, doneField); ok && doneField != "" {
					it.doneAt, _ = strconv.ParseInt(string(raw), 10, 64)
				}
				l.items = append(l.items, it)
			}
			return nil
		})
		requests = l.requests
	})
	if l.err != nil {
		return nil, requests, fmt.Errorf("listing %s: %w", parent.Name, l.err)
	}
	return l.items, requests, nil
}

// ProbeQuery is the query of the cheapest request a stream makes: its first
// page, one item or one day's bucket long (for `check`).
func ProbeQuery(s *Stream, now time.Time) url.Values {
	if s.Usage != nil {
		day := now.UTC().Truncate(24 * time.Hour)
		return bucketQuery(s, Window{Width: s.Usage.Width("1d"), Start: day.Add(-24 * time.Hour), End: day.Add(24 * time.Hour), Limit: 1})
	}
	q := pageQuery(s)
	if q.Has("limit") {
		q.Set("limit", "1")
	}
	return q
}

// pageQuery is the first request's query of a listing stream.
func pageQuery(s *Stream) url.Values {
	q := url.Values{}
	for k, v := range s.Params {
		q[k] = append([]string(nil), v...)
	}
	if s.Limit > 0 {
		q["limit"] = []string{strconv.Itoa(s.Limit)}
	}
	return q
}
