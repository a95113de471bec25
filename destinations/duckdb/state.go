package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

func (d *DB) putState(ctx context.Context, s schema.State, now time.Time) error {
	q := fmt.Sprintf("INSERT OR REPLACE INTO %s (stream, cursor, updated_at) VALUES (?, ?, ?)", d.qualified("_sync_state"))
	if _, err := d.conn.ExecContext(ctx, q, s.Stream, s.Cursor, now); err != nil {
		return fmt.Errorf("store cursor of %s: %w", s.Stream, err)
	}
	return nil
}

// States returns every stored cursor by stream.
func (d *DB) States(ctx context.Context) (map[string]schema.State, error) {
	rows, err := d.conn.QueryContext(ctx, fmt.Sprintf("SELECT stream, cursor, updated_at FROM %s ORDER BY stream", d.qualified("_sync_state")))
	if err != nil {
		return nil, fmt.Errorf("read cursors: %w", err)
	}
	defer rows.Close()
	out := map[string]schema.State{}
	for rows.Next() {
		var s schema.State
		var cur sql.NullString
		if err := rows.Scan(&s.Stream, &cur, &s.UpdatedAt); err != nil {
			return nil, fmt.Errorf("read cursors: %w", err)
		}
		s.Cursor = cur.String
		out[s.Stream] = s
	}
	return out, rows.Err()
}

// ResetStates deletes the cursors of the given streams (all when none given),
// so their next run starts from the beginning. Rows are kept.
func (d *DB) ResetStates(ctx context.Context, streams []string) (int64, error) {
	q := "DELETE FROM " + d.qualified("_sync_state")
	args := []any{}
	if len(streams) > 0 {
		q += " WHERE list_contains(?, stream)"
		args = append(args, streams)
	}
	res, err := d.conn.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("reset cursors: %w", err)
	}
	return res.RowsAffected()
}

// StartRun records a run as running. A run still marked running from an
// earlier process that was killed is marked interrupted first.
func (d *DB) StartRun(ctx context.Context, r schema.Run) error {
	fix := fmt.Sprintf("UPDATE %s SET status = 'interrupted', error = 'the process ended before the run finished' WHERE status = 'running'", d.qualified("_sync_runs"))
	if _, err := d.conn.ExecContext(ctx, fix); err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	q := fmt.Sprintf("INSERT INTO %s (run_id, started_at, status, rows, requests) VALUES (?, ?, 'running', 0, 0)", d.qualified("_sync_runs"))
	if _, err := d.conn.ExecContext(ctx, q, r.ID, r.Started); err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	return nil
}

// FinishRun stores the outcome of a run.
func (d *DB) FinishRun(ctx context.Context, r schema.Run) error {
	streams, err := json.Marshal(r.Streams)
	if err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	if err := d.attachAgainIfDetached(ctx); err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	q := fmt.Sprintf("UPDATE %s SET ended_at = ?, status = ?, rows = ?, requests = ?, streams = ?, error = ? WHERE run_id = ?", d.qualified("_sync_runs"))
	var errText any
	if r.Error != "" {
		errText = r.Error
	}
	if _, err := d.conn.ExecContext(ctx, q, r.Ended, r.Status, r.Rows, r.Requests, string(streams), errText, r.ID); err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	return nil
}
