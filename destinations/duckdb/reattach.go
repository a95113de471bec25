package duckdb

import (
	"context"
	"fmt"
)

// reattachIfDue detaches the file and attaches it again once the session
// has written opts.ReattachRows rows since it was attached. Apply calls it
// between transactions, before the next one begins.
//
// DuckDB keeps its bookkeeping of every row group the session writes (the
// column data, segments and block handles of each, ≈45 KB per row group of
// the audit log) for as long as the file stays attached, so a long backfill's
// memory grew with its rows: ≈2.7 MiB per million audit events, 75–77 → 92–93
// MiB of anonymous memory from 1M to 4M events (83 attached again every
// 262,144 rows, with no more CPU). Attached again, DuckDB reads only what the
// next transactions touch.
//
// Between the two, another process could take the file (runs of openai-sync
// are kept out by the destination's lock file); the attach then waits for it
// as Open does, and otherwise fails. What is committed stays either way.
func (d *DB) reattachIfDue(ctx context.Context) error {
	if d.opts.ReattachRows < 0 || d.written < d.opts.ReattachRows {
		return nil
	}
	if err := d.reattach(ctx); err != nil {
		return fmt.Errorf("attach %s again (done every %d rows written, to release DuckDB's memory of them; what is committed stays, run again): %w",
			d.opts.Path, d.opts.ReattachRows, explainLock(err))
	}
	d.written = 0
	return nil
}

// reattach detaches the file and attaches it again under the same name. The
// tables and spans the DB knows stay true: nothing is written in between.
func (d *DB) reattach(ctx context.Context) error {
	// The in-memory instance's own catalog is the default while the file is
	// detached (a default catalog cannot be detached).
	if _, err := d.conn.ExecContext(ctx, "USE memory.main"); err != nil {
		return err
	}
	if _, err := d.conn.ExecContext(ctx, "DETACH "+quote(d.catalog)); err != nil {
		return err
	}
	return waitForFile(ctx, d.opts, func() error { return attach(ctx, d.conn, d.opts) })
}
