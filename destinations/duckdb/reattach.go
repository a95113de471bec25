package duckdb

import (
	"context"
	"fmt"
)

// reattachIfDue attaches the file again, from a new DuckDB instance, once the
// session has written opts.ReattachRows rows since it was attached. Apply
// calls it between transactions, before the next one begins.
//
// DuckDB keeps its bookkeeping of every row group the session writes (the
// column data, segments and block handles of each, ≈45 KB per row group of
// the audit log) for as long as the file stays attached, so a long backfill's
// memory grew with its rows: ≈2.7 MiB per million audit events, 75–77 → 92–93
// MiB of anonymous memory from 1M to 4M events (83 attached again every
// 262,144 rows, with no more CPU). Attached again, DuckDB reads only what the
// next transactions touch. Closing the instance and starting a new one
// takes 15–40 ms (measured on this project's machine), once per 262,144 rows.
//
// Between the two, another process could take the file (runs of openai-sync
// are kept out by the destination's lock file); the attach then waits for it
// as Open does, and otherwise fails. What is committed stays either way, and
// the DB stays detached until a later Apply or FinishRun attaches the file
// again.
func (d *DB) reattachIfDue(ctx context.Context) error {
	if d.opts.ReattachRows < 0 || d.written < d.opts.ReattachRows {
		return nil // a failed reattach leaves written as it was: it is still due
	}
	if err := d.reattach(ctx); err != nil {
		return fmt.Errorf("attach %s again (done every %d rows written, to release DuckDB's memory of them; what is committed stays, run again): %w",
			d.opts.Path, d.opts.ReattachRows, explainLock(err))
	}
	return nil
}

// reattach closes DuckDB's instance and starts a new one that attaches the
// file again. The tables and spans the DB knows stay true: nothing is
// written in between.
//
// A new instance rather than DETACH and ATTACH on the same one: the instance
// keeps state of its own that grows with the work it does (its buffer pool's
// eviction queue holds every block handle a statement unpinned, the hash
// tables of the merges' key lookups among them, until it is purged), ≈1.5 MiB
// of C heap per million audit events that DETACH does not release.
func (d *DB) reattach(ctx context.Context) error {
	if !d.detached {
		d.detached = true
		if err := d.disconnect(); err != nil {
			return err
		}
	}
	if err := waitForFile(ctx, d.opts, func() error { return d.connect(ctx) }); err != nil {
		return err
	}
	d.detached, d.written = false, 0
	return nil
}

// attachAgainIfDetached starts the instance that a failed reattach could not.
func (d *DB) attachAgainIfDetached(ctx context.Context) error {
	if !d.detached {
		return nil
	}
	if err := d.reattach(ctx); err != nil {
		return fmt.Errorf("attach %s again: %w", d.opts.Path, explainLock(err))
	}
	return nil
}
