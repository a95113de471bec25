package sandbox

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
)

// auditQuery is a parsed GET /organization/audit_logs request.
type auditQuery struct {
	from, to int64 // inclusive effective_at bounds
	filters  []func(e *auditEvent) bool
	tenant   bool
	limit    int
	after    string
	before   string
}

// listAuditLogs lists newest first (effective_at desc, then id desc). `after`
// continues to older events; `before` (without `after`) returns the events
// just newer than the cursor, still newest first. Cursors need not match the
// filters: they are positions in the whole log. Runs with s.mu held.
func (s *Server) listAuditLogs(r *http.Request) (any, *apiError) {
	q, err := parseAuditQuery(r.URL.Query())
	if err != nil {
		return nil, err
	}
	return s.audit.page(q)
}

func parseAuditQuery(v url.Values) (auditQuery, *apiError) {
	q := auditQuery{from: math.MinInt64, to: math.MaxInt64, after: v.Get("after"), before: v.Get("before")}
	var err *apiError
	if q.limit, err = parseLimit(v, l1Audit); err != nil {
		return q, err
	}
	for _, b := range []struct {
		op    string
		apply func(int64)
	}{
		{"gt", func(t int64) { q.from = max(q.from, t+1) }},
		{"gte", func(t int64) { q.from = max(q.from, t) }},
		{"lt", func(t int64) { q.to = min(q.to, t-1) }},
		{"lte", func(t int64) { q.to = min(q.to, t) }},
	} {
		name := "effective_at[" + b.op + "]"
		if raw := v.Get(name); raw != "" {
			t, perr := strconv.ParseInt(raw, 10, 64)
			if perr != nil {
				return q, invalidRequest(name, "invalid_type", "Invalid '%s': expected an integer (Unix seconds), but got %q instead.", name, raw)
			}
			b.apply(t)
		}
	}
	if q.tenant, err = boolParam(v.Get("tenant_only"), "tenant_only"); err != nil {
		return q, err
	}
	for _, t := range v["event_types[]"] {
		if !slices.Contains(auditEventTypes, t) {
			return q, invalidRequest("event_types[]", "invalid_value", "Invalid 'event_types[]': %q is not a known audit log event type.", t)
		}
	}
	q.filters = auditFilters(v)
	return q, nil
}

// auditFilters builds one predicate per array filter present.
func auditFilters(v url.Values) []func(e *auditEvent) bool {
	var fs []func(e *auditEvent) bool
	add := func(param string, match func(set map[string]bool, e *auditEvent) bool) {
		if vals := v[param]; len(vals) > 0 {
			set := map[string]bool{}
			for _, x := range vals {
				set[x] = true
			}
			fs = append(fs, func(e *auditEvent) bool { return match(set, e) })
		}
	}
	add("project_ids[]", func(set map[string]bool, e *auditEvent) bool { return set[e.project.ID] })
	add("event_types[]", func(set map[string]bool, e *auditEvent) bool { return set[auditKinds[e.kind].typ] })
	add("resource_ids[]", func(set map[string]bool, e *auditEvent) bool { return e.resource != "" && set[e.resource] })
	add("actor_ids[]", func(set map[string]bool, e *auditEvent) bool {
		ac := e.actor
		return (ac.user != nil && set[ac.user.ID]) || (ac.keyID != "" && set[ac.keyID]) || (ac.saID != "" && set[ac.saID])
	})
	add("actor_emails[]", func(set map[string]bool, e *auditEvent) bool {
		return e.actor.user != nil && set[e.actor.user.Email]
	})
	return fs
}

func (q *auditQuery) match(e *auditEvent) bool {
	for _, f := range q.filters {
		if !f(e) {
			return false
		}
	}
	return true
}

// page serves one page. Storage is ascending, so the list walks it backwards:
// [lo, hi) is the storage range the time filter and cursors allow.
func (a *auditLog) page(q auditQuery) (any, *apiError) {
	ev := a.events
	lo := sort.Search(len(ev), func(i int) bool { return ev[i].at >= q.from })
	hi := sort.Search(len(ev), func(i int) bool { return ev[i].at > q.to })
	if q.tenant { // no tenant-scoped events are generated
		hi = lo
	}
	if q.after != "" {
		i, ok := a.index[q.after]
		if !ok {
			return nil, unknownCursor("after", q.after)
		}
		hi = min(hi, i)
	}
	if q.before != "" {
		i, ok := a.index[q.before]
		if !ok {
			return nil, unknownCursor("before", q.before)
		}
		lo = max(lo, i+1)
	}
	var picked []int // storage positions, newest first
	hasMore := false
	if q.before != "" && q.after == "" {
		for i := lo; i < hi; i++ {
			if q.match(&ev[i]) {
				if len(picked) == q.limit {
					hasMore = true
					break
				}
				picked = append(picked, i)
			}
		}
		slices.Reverse(picked)
	} else {
		for i := hi - 1; i >= lo; i-- {
			if q.match(&ev[i]) {
				if len(picked) == q.limit {
					hasMore = true
					break
				}
				picked = append(picked, i)
			}
		}
	}
	out := listL1{Object: "list", Data: make([]any, 0, len(picked)), HasMore: hasMore}
	for _, i := range picked {
		out.Data = append(out.Data, a.render(&ev[i]))
	}
	if len(picked) > 0 {
		out.FirstID, out.LastID = ptr(ev[picked[0]].id), ptr(ev[picked[len(picked)-1]].id)
	}
	return out, nil
}
