package duckdb

import (
	"context"
	"fmt"
)

// dropCacheAbove is how much of DuckDB's cache of the file's blocks a batch
// may leave behind before dropCache drops it.
const dropCacheAbove = 4 << 20

// dropCache drops DuckDB's cache of blocks that are already in the file,
// keeping everything else it holds. A long sync writes a row group to the
// file every 16,384 rows and DuckDB keeps the written blocks cached until
// its memory limit forces it out, so without this a sync's memory grows with
// the rows it writes until the cache is full (at 1M audit events, ≈20 MiB more
// than a short sync). DuckDB evicts only to meet a lower memory limit, so
// the limit is lowered to what DuckDB holds apart from that cache (evicting
// file blocks first, which costs nothing to read back) and then restored.
//
// It runs on a connection of its own, which never has a transaction open: a
// memory limit that cannot be met fails the statement, and on the writer's
// connection that would abort the open transaction. Such a failure only
// means the cache stays.
func (d *DB) dropCache(ctx context.Context) error {
	var cached, total int64
	err := d.side.QueryRowContext(ctx, `SELECT coalesce(sum(memory_usage_bytes) FILTER (WHERE tag = 'BASE_TABLE'), 0),
		coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()`).Scan(&cached, &total)
	if err != nil || cached < dropCacheAbove {
		return nil // the cache stays: nothing is lost
	}
	lower := fmt.Sprintf("SET memory_limit = '%dB'", total-cached+1<<20)
	_, _ = d.side.ExecContext(ctx, lower)
	if _, err := d.side.ExecContext(ctx, "SET memory_limit = "+quoteString(d.memoryLimit)); err != nil {
		return fmt.Errorf("restore the memory limit %s: %w", d.memoryLimit, err)
	}
	return nil
}
