package duckdb

import (
	"context"
	"fmt"
)

const (
	// dropCacheAbove is how much of DuckDB's cache of the file's blocks a
	// batch may leave behind before dropCache drops it.
	dropCacheAbove = 4 << 20
	// dropCacheSlack is what the lowered limit leaves above what DuckDB
	// holds apart from that cache, so that meeting it needs no other
	// eviction.
	dropCacheSlack = 1 << 20
)

// dropCache drops DuckDB's cache of blocks that are already in the file,
// keeping everything else it holds. A long sync writes a row group to the
// file every 16,384 rows and DuckDB keeps the written blocks cached until
// its memory limit forces them out, so without this a sync's memory grows
// with the rows it writes until the cache is full (at 1M audit events, ≈20
// MiB more than a short sync). DuckDB evicts only to meet a lower memory
// limit, so the limit is lowered to what DuckDB holds apart from that cache
// and then restored. DuckDB evicts file blocks first (read back from the
// file if needed); only if those were not enough would it go on to write
// the transaction's unwritten rows to <file>.tmp, which the slack avoids.
//
// It runs on a connection of its own, which never has a transaction open: a
// memory limit DuckDB cannot meet fails the statement, and on the writer's
// connection that would abort the open transaction. Such a failure leaves
// the cache as it was.
func (d *DB) dropCache(ctx context.Context) error {
	return d.dropFileBlocks(ctx, dropCacheAbove)
}

// dropFileBlocks is dropCache once DuckDB caches at least above bytes of the
// file's blocks.
func (d *DB) dropFileBlocks(ctx context.Context, above int64) error {
	if ctx.Err() != nil {
		return nil // the cache stays: nothing is lost
	}
	cached, total, err := d.memoryUse(ctx)
	if err != nil || cached < above {
		return nil
	}
	_ = d.setMemoryLimit(ctx, fmt.Sprintf("%dB", total-cached+dropCacheSlack))
	// Restored even if ctx ends in between: the limit is the whole instance's.
	if err := d.setMemoryLimit(context.WithoutCancel(ctx), d.opts.MemoryLimit); err != nil {
		return fmt.Errorf("DuckDB's memory limit is left lowered (the batch is rolled back; run again): restore %s: %w", d.opts.MemoryLimit, err)
	}
	return nil
}

// memoryUse is what DuckDB holds: its cache of the file's blocks, and in all.
func (d *DB) memoryUse(ctx context.Context) (cached, total int64, err error) {
	err = d.side.QueryRowContext(ctx, `SELECT coalesce(sum(memory_usage_bytes) FILTER (WHERE tag = 'BASE_TABLE'), 0),
		coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()`).Scan(&cached, &total)
	return cached, total, err
}

// setMemoryLimit sets DuckDB's memory limit on the side connection, where a
// limit it cannot meet fails without touching the writer's transaction.
func (d *DB) setMemoryLimit(ctx context.Context, limit string) error {
	_, err := d.side.ExecContext(ctx, "SET memory_limit = "+quoteString(limit))
	return err
}
