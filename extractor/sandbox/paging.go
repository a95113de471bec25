package sandbox

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// pageSpec is one list operation's paging contract, as documented in the spec.
type pageSpec struct {
	defLimit, minLimit, maxLimit int
	order                        string // default of the `order` parameter; "" when the operation has none
	before                       bool   // the operation declares `before`
	opaque                       bool   // L2 only: `next` is an opaque token rather than the last item's id
}

// Paging contracts. A minimum of 0 (spec) means limit=0 is accepted; the
// sandbox then applies the default, since an empty page could not advance.
var (
	l1Default    = pageSpec{defLimit: 20, minLimit: 1, maxLimit: 100}
	l1Asc        = pageSpec{defLimit: 20, minLimit: 1, maxLimit: 100, order: "asc"}
	l1Desc       = pageSpec{defLimit: 20, minLimit: 1, maxLimit: 100, order: "desc"}
	l1RateLimits = pageSpec{defLimit: 100, minLimit: 1, maxLimit: 100, before: true}
	l1Alerts     = pageSpec{defLimit: 20, minLimit: 0, maxLimit: 100, order: "asc", before: true}
	l1Audit      = pageSpec{defLimit: 20, minLimit: 1, maxLimit: 100, before: true}
	l2Groups     = pageSpec{defLimit: 100, minLimit: 0, maxLimit: 1000, order: "asc"}
	l2GroupUsers = pageSpec{defLimit: 100, minLimit: 0, maxLimit: 1000, order: "desc"}
	l2Roles      = pageSpec{defLimit: 1000, minLimit: 0, maxLimit: 1000, order: "asc", opaque: true}
	l2Assigned   = pageSpec{defLimit: 1000, minLimit: 0, maxLimit: 1000, order: "asc", opaque: true}
	l2ProjGroups = pageSpec{defLimit: 20, minLimit: 0, maxLimit: 100, order: "asc"}
)

// entry is one list item: its cursor id and its wire value.
type entry struct {
	id string
	v  any
}

// listL1 is the {object, data, first_id, last_id, has_more} list shape.
type listL1 struct {
	Object  string  `json:"object"`
	Data    []any   `json:"data"`
	FirstID *string `json:"first_id"`
	LastID  *string `json:"last_id"`
	HasMore bool    `json:"has_more"`
}

// listL2 is the {object, data, has_more, next} list shape.
type listL2 struct {
	Object  string  `json:"object"`
	Data    []any   `json:"data"`
	HasMore bool    `json:"has_more"`
	Next    *string `json:"next"`
}

func parseLimit(q url.Values, ps pageSpec) (int, *apiError) {
	raw := q.Get("limit")
	if raw == "" {
		return ps.defLimit, nil
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		return 0, invalidRequest("limit", "invalid_type", "Invalid 'limit': expected an integer, but got %q instead.", raw)
	case n < ps.minLimit:
		return 0, invalidRequest("limit", "integer_below_min_value",
			"Invalid 'limit': integer below minimum value. Expected a value >= %d, but got %d instead.", ps.minLimit, n)
	case n > ps.maxLimit:
		return 0, invalidRequest("limit", "integer_above_max_value",
			"Invalid 'limit': integer above maximum value. Expected a value <= %d, but got %d instead.", ps.maxLimit, n)
	case n == 0:
		return ps.defLimit, nil
	}
	return n, nil
}

// ordered applies the `order` parameter; entries arrive in ascending order.
func ordered(q url.Values, entries []entry, ps pageSpec) ([]entry, *apiError) {
	if ps.order == "" {
		return entries, nil
	}
	order := q.Get("order")
	if order == "" {
		order = ps.order
	}
	switch order {
	case "asc":
		return entries, nil
	case "desc":
		out := slices.Clone(entries)
		slices.Reverse(out)
		return out, nil
	}
	return nil, invalidRequest("order", "invalid_value", "Invalid 'order': expected one of 'asc' or 'desc', but got %q instead.", order)
}

func indexOf(entries []entry, id string) int {
	return slices.IndexFunc(entries, func(e entry) bool { return e.id == id })
}

func unknownCursor(param, id string) *apiError {
	return invalidRequest(param, "", "Invalid '%s': no object with id '%s' in this list.", param, id)
}

// window picks the page bounds [lo, hi) from the after/before cursors.
// Without `after`, a `before` cursor returns the items just before it.
func window(q url.Values, entries []entry, ps pageSpec, limit int) (lo, hi int, hasMore bool, err *apiError) {
	lo, hi = 0, len(entries)
	after, before := q.Get("after"), ""
	if ps.before {
		before = q.Get("before")
	}
	if after != "" {
		i := indexOf(entries, after)
		if i < 0 {
			return 0, 0, false, unknownCursor("after", after)
		}
		lo = i + 1
	}
	if before != "" {
		i := indexOf(entries, before)
		if i < 0 {
			return 0, 0, false, unknownCursor("before", before)
		}
		hi = min(hi, i)
	}
	if lo >= hi {
		return lo, lo, false, nil
	}
	if before != "" && after == "" {
		return max(lo, hi-limit), hi, hi-limit > lo, nil
	}
	return lo, min(hi, lo+limit), lo+limit < hi, nil
}

func values(entries []entry) []any {
	out := make([]any, len(entries))
	for i, e := range entries {
		out[i] = e.v
	}
	return out
}

// pageL1 serves one page of an L1 cursor list.
func pageL1(q url.Values, entries []entry, ps pageSpec) (any, *apiError) {
	limit, err := parseLimit(q, ps)
	if err != nil {
		return nil, err
	}
	if entries, err = ordered(q, entries, ps); err != nil {
		return nil, err
	}
	lo, hi, hasMore, err := window(q, entries, ps, limit)
	if err != nil {
		return nil, err
	}
	page := entries[lo:hi]
	out := listL1{Object: "list", Data: values(page), HasMore: hasMore}
	if len(page) > 0 {
		out.FirstID, out.LastID = ptr(page[0].id), ptr(page[len(page)-1].id)
	}
	return out, nil
}

const cursorPrefix = "cur_"

func encodeCursor(id string) string {
	return cursorPrefix + base64.RawURLEncoding.EncodeToString([]byte(id))
}

func decodeCursor(c string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(c, cursorPrefix))
	if err != nil || !strings.HasPrefix(c, cursorPrefix) {
		return "", false
	}
	return string(b), true
}

// pageL2 serves one page of an L2 list ({…, has_more, next}); `after` takes
// the previous page's `next`.
func pageL2(q url.Values, entries []entry, ps pageSpec) (any, *apiError) {
	limit, err := parseLimit(q, ps)
	if err != nil {
		return nil, err
	}
	if entries, err = ordered(q, entries, ps); err != nil {
		return nil, err
	}
	if after := q.Get("after"); after != "" && ps.opaque {
		id, ok := decodeCursor(after)
		if !ok {
			return nil, invalidRequest("after", "", "Invalid 'after': %q is not a cursor returned by this list's 'next'.", after)
		}
		q = url.Values{"after": {id}}
	}
	lo, hi, hasMore, err := window(q, entries, ps, limit)
	if err != nil {
		return nil, err
	}
	out := listL2{Object: "list", Data: values(entries[lo:hi]), HasMore: hasMore}
	if hasMore {
		next := entries[hi-1].id
		if ps.opaque {
			next = encodeCursor(next)
		}
		out.Next = &next
	}
	return out, nil
}
