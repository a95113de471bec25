package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// span is what a table holds, as far as a merge needs to know: whether it
// has rows at all, and the range of its time column (stored rows and the open
// transaction's). A batch outside it cannot match a stored key, so its merge
// skips the lookup: a backfill, which arrives in time order, inserts without
// probing the table.
type span struct {
	rows     bool
	untimed  bool      // some row has no time (or the table has no time column)
	min, max time.Time // of the non-null times; zero when there are none
}

// spanOf returns the table's span, reading it once per session.
func (d *DB) spanOf(ctx context.Context, t *schema.Table) (*span, error) {
	if s, ok := d.spans[t.Name]; ok {
		return s, nil
	}
	col := "NULL::TIMESTAMPTZ"
	if t.TimeColumn != "" {
		col = quote(t.TimeColumn)
	}
	var n, untimed int64
	var lo, hi sql.NullTime
	q := fmt.Sprintf("SELECT count(*), count(*) FILTER (WHERE %s IS NULL), min(%s), max(%s) FROM %s", col, col, col, d.qualified(t.Name))
	if err := d.conn.QueryRowContext(ctx, q).Scan(&n, &untimed, &lo, &hi); err != nil {
		return nil, fmt.Errorf("table %s: time range: %w", t.Name, err)
	}
	s := &span{rows: n > 0, untimed: untimed > 0, min: lo.Time, max: hi.Time}
	d.spans[t.Name] = s
	return s, nil
}

// disjoint reports whether no stored row can have a key of a batch whose
// times lie in [from, to] (ok: every row of the batch has a time).
func (s *span) disjoint(from, to time.Time, ok bool) bool {
	if !s.rows {
		return true
	}
	if !ok || s.untimed || s.min.IsZero() {
		return false
	}
	return from.After(s.max) || to.Before(s.min)
}

// add records that rows with times in [from, to] were inserted.
func (s *span) add(from, to time.Time, ok bool) {
	s.rows = true
	if !ok {
		s.untimed = true // some row of the batch had no time: look keys up from now on
		return
	}
	if s.min.IsZero() || from.Before(s.min) {
		s.min = from
	}
	if s.max.IsZero() || to.After(s.max) {
		s.max = to
	}
}
