package duckdb

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/openai-sync/openai-sync/schema"
)

// Names of the Arrow views a merge registers.
const (
	keysView = "_openai_sync_keys"
	rowsView = "_openai_sync_rows"
)

// arrowView is an Arrow view registered in the open transaction, kept until
// Commit or Rollback and fed one record per statement.
type arrowView struct {
	stream *armedStream
	c      *viewStream // freed once the view is gone
}

// withView runs fn with rec as the Arrow view called view, inside the open
// transaction. An Arrow view can be scanned only once per record: fn reads it
// once.
//
// The view is registered once per transaction and schema, not per batch (a
// registration costs DuckDB ≈0.5 ms), through a stream that lends DuckDB one
// exported schema however often it asks (registerView). Commit drops the
// views before it commits, so none is ever written to the file (a leaked
// Arrow view crashes DuckDB after a reopen).
func (d *DB) withView(ctx context.Context, view string, rec arrow.RecordBatch, fn func(ex driver.ExecerContext) error) error {
	return d.conn.Raw(func(x any) error {
		dc := x.(driver.Conn)
		v := d.views[view]
		if v == nil || !v.stream.schema.Equal(rec.Schema()) {
			stream := newArmedStream(rec.Schema())
			c, err := registerView(dc, stream, view) // replaces the view of that name
			stream.Release()                         // the export holds it now
			if err != nil {
				return fmt.Errorf("register arrow view: %w", err)
			}
			if v != nil {
				v.c.release()
			}
			v = &arrowView{stream: stream, c: c}
			d.views[view] = v
		}
		v.stream.arm(rec)
		defer v.stream.arm(nil) // rec is the caller's again
		return fn(dc.(driver.ExecerContext))
	})
}

// withKeys runs fn with rec's primary key columns as the view keysView.
func (d *DB) withKeys(ctx context.Context, t *schema.Table, rec arrow.RecordBatch, fn func(ex driver.ExecerContext) error) error {
	keys := keyColumns(rec, t.PrimaryKey)
	defer keys.Release()
	return d.withView(ctx, keysView, keys, fn)
}

// dropViews drops the Arrow views registered in the open transaction.
func (d *DB) dropViews(ctx context.Context) error {
	for view := range d.views {
		if _, err := d.conn.ExecContext(ctx, "DROP VIEW IF EXISTS "+quote(view)); err != nil {
			return fmt.Errorf("drop arrow view: %w", err)
		}
	}
	d.releaseViews()
	return nil
}

// releaseViews frees the streams of views that are gone (dropped, or rolled
// back with the transaction that created them).
func (d *DB) releaseViews() {
	for _, v := range d.views {
		v.c.release()
	}
	clear(d.views)
}

// armedStream is the array.RecordReader behind an Arrow view: each scan of
// the view reads the record armed last, once, and then ends. DuckDB's Arrow
// scan reads the one stream the view was registered with at every scan, and
// never releases it before the view is gone.
type armedStream struct {
	refs   atomic.Int64
	schema *arrow.Schema
	mu     sync.Mutex
	armed  arrow.RecordBatch // for the next scan
	cur    arrow.RecordBatch // the current scan's
}

func newArmedStream(s *arrow.Schema) *armedStream {
	a := &armedStream{schema: s}
	a.refs.Store(1)
	return a
}

// arm makes rec the record of the next scan (nil: none), dropping what an
// earlier arm left.
func (a *armedStream) arm(rec arrow.RecordBatch) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.drop()
	if rec != nil {
		rec.Retain()
	}
	a.armed = rec
}

// drop releases the armed and the current record.
func (a *armedStream) drop() {
	if a.armed != nil {
		a.armed.Release()
	}
	if a.cur != nil {
		a.cur.Release()
	}
	a.armed, a.cur = nil, nil
}

func (a *armedStream) Next() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cur != nil {
		a.cur.Release()
	}
	a.cur, a.armed = a.armed, nil
	return a.cur != nil
}

func (a *armedStream) RecordBatch() arrow.RecordBatch {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cur
}

// Record is RecordBatch (array.RecordReader's older name).
func (a *armedStream) Record() arrow.RecordBatch { return a.RecordBatch() }

func (a *armedStream) Schema() *arrow.Schema { return a.schema }
func (a *armedStream) Err() error            { return nil }
func (a *armedStream) Retain()               { a.refs.Add(1) }

func (a *armedStream) Release() {
	if a.refs.Add(-1) == 0 {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.drop()
	}
}
