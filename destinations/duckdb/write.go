package duckdb

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/openai-sync/openai-sync/schema"
)

// Write applies one batch in one transaction: replace a range if asked,
// merge the rows by primary key, sweep deletions, store the cursor. It
// returns how many rows were new and how many were newly marked deleted.
func (d *DB) Write(ctx context.Context, b schema.Batch) (schema.WriteResult, error) {
	res, err := d.Apply(ctx, b)
	if err != nil {
		return schema.WriteResult{}, err
	}
	if err := d.Commit(ctx); err != nil {
		return schema.WriteResult{}, err
	}
	return res, nil
}

// Apply applies a batch inside the open transaction, beginning one if none
// is open. Nothing is durable until Commit; on an error the whole
// transaction, with what earlier Applies put in it, is rolled back. A long
// transaction is also the fast path for a large backfill: DuckDB writes whole
// row groups of it straight to the file instead of through the WAL.
func (d *DB) Apply(ctx context.Context, b schema.Batch) (res schema.WriteResult, err error) {
	if !d.inTx {
		if err := d.reattachIfDue(ctx); err != nil {
			return res, err
		}
		if _, err := d.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
			return res, fmt.Errorf("begin: %w", err)
		}
		d.inTx = true
	}
	defer func() {
		if err != nil {
			if rbErr := d.Rollback(); rbErr != nil {
				err = fmt.Errorf("%w (rollback: %v)", err, rbErr)
			}
		}
	}()
	if err := d.ensureTable(ctx, b.Table); err != nil {
		return res, err
	}
	if res, err = d.apply(ctx, b, time.Now().UTC()); err != nil {
		return res, err
	}
	if b.Record != nil {
		d.written += b.Record.NumRows()
	}
	return res, d.dropCache(ctx)
}

// Commit commits the open transaction, if any.
func (d *DB) Commit(ctx context.Context) error {
	if !d.inTx {
		return nil
	}
	err := d.dropViews(ctx)
	if err == nil {
		_, err = d.conn.ExecContext(ctx, "COMMIT")
	}
	if err != nil {
		if rbErr := d.Rollback(); rbErr != nil {
			err = fmt.Errorf("%w (rollback: %v)", err, rbErr)
		}
		return fmt.Errorf("commit: %w", err)
	}
	d.inTx = false
	return nil
}

// Rollback discards the open transaction, if any.
func (d *DB) Rollback() error {
	if !d.inTx {
		return nil
	}
	d.inTx = false
	clear(d.tables) // tables created or widened in the transaction are gone
	clear(d.spans)
	_, err := d.conn.ExecContext(context.Background(), "ROLLBACK")
	d.releaseViews() // gone with the transaction that created them
	if err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}

// apply does one batch's work inside the caller's transaction.
func (d *DB) apply(ctx context.Context, b schema.Batch, now time.Time) (res schema.WriteResult, err error) {
	rows := b.Record != nil && b.Record.NumRows() > 0
	var kept int64 // stored rows of the replaced range that the batch has again
	if b.Replace != nil {
		if rows {
			if kept, err = d.storedKeys(ctx, b.Table, b.Record, b.Replace); err != nil {
				return res, err
			}
		}
		if err = d.replace(ctx, b.Table, b.Replace); err != nil {
			return res, err
		}
	}
	if rows {
		var merged int64
		if merged, err = d.merge(ctx, b.Table, b.Record, now); err != nil {
			return res, err
		}
		res.New = max(0, b.Record.NumRows()-merged-kept)
	}
	if b.Sweep != nil {
		if res.Deleted, err = d.sweep(ctx, b.Table, b.Sweep, now); err != nil {
			return res, err
		}
	}
	if b.State != nil {
		if err := d.putState(ctx, *b.State, now); err != nil {
			return res, err
		}
	}
	return res, nil
}

// merge upserts the record by primary key: delete the stored rows with the
// batch's keys, then insert the batch. Within one batch the last row of a key
// wins; a batch with repeated keys goes through a staging table first. It
// returns how many stored rows the batch replaced.
func (d *DB) merge(ctx context.Context, t *schema.Table, rec arrow.RecordBatch, now time.Time) (replaced int64, err error) {
	match := keyMatch(t.PrimaryKey)
	from, to, timed := timeRange(rec, t.TimeColumn)
	stored, err := d.spanOf(ctx, t)
	if err != nil {
		return 0, err
	}
	if timed {
		// A key's time never changes: its stored row lies in the batch's time
		// range, and DuckDB skips the row groups outside it instead of
		// probing the whole table for every batch.
		within := fmt.Sprintf("t.%s BETWEEN %s AND %s", quote(t.TimeColumn), timestamp(from), timestamp(to))
		if stored.untimed {
			// A stored row whose time did not parse (NULL) may hold the key.
			// DuckDB cannot skip row groups by this condition: the rows of
			// the session's earlier batches would all be read again.
			within = fmt.Sprintf("(%s OR t.%s IS NULL)", within, quote(t.TimeColumn))
		}
		match = append(match, within)
	}
	lookup := !stored.disjoint(from, to, timed)
	defer stored.add(from, to, timed)
	var names []string
	for _, c := range t.AllColumns() {
		names = append(names, c.Name)
	}
	cols := joined(names, quote)
	target := d.qualified(t.Name)
	deleteFrom := func(src string) string {
		return fmt.Sprintf("DELETE FROM %s AS t USING %s AS s WHERE %s", target, src, strings.Join(match, " AND "))
	}
	insertFrom := func(src string) string {
		return fmt.Sprintf("INSERT INTO %s (%s, %s, %s) SELECT %s, %s, false FROM %s",
			target, cols, quote(schema.SyncedAtColumn), quote(schema.DeletedColumn), cols, timestamp(now), src)
	}
	exec := func(ex driver.ExecerContext, q string, affected *int64) error {
		res, err := ex.ExecContext(ctx, q, nil)
		if err == nil && affected != nil {
			*affected, err = res.RowsAffected()
		}
		if err != nil {
			return fmt.Errorf("table %s: %.50s: %w", t.Name, q, err)
		}
		return nil
	}
	if !hasDuplicateKeys(rec, t.PrimaryKey) {
		if lookup {
			err := d.withKeys(ctx, t, rec, func(ex driver.ExecerContext) error { return exec(ex, deleteFrom(keysView), &replaced) })
			if err != nil {
				return 0, err
			}
		}
		return replaced, d.withView(ctx, rowsView, rec, func(ex driver.ExecerContext) error { return exec(ex, insertFrom(rowsView), nil) })
	}
	// Repeated keys: stage the batch, keep each key's last row, then merge.
	const stage = "_openai_sync_stage"
	var dups int64
	stmts := []struct {
		q        string
		affected *int64
	}{
		{fmt.Sprintf("CREATE TEMP TABLE %s AS SELECT * FROM %s", stage, rowsView), nil},
		{fmt.Sprintf("DELETE FROM %s WHERE rowid NOT IN (SELECT max(rowid) FROM %s GROUP BY %s)", stage, stage, joined(t.PrimaryKey, quote)), &dups},
		{deleteFrom(stage), &replaced},
		{insertFrom(stage), nil},
		{"DROP TABLE " + stage, nil},
	}
	err = d.withView(ctx, rowsView, rec, func(ex driver.ExecerContext) error {
		for _, st := range stmts {
			if err := exec(ex, st.q, st.affected); err != nil {
				return err
			}
		}
		return nil
	})
	return replaced + dups, err
}

// keyMatch is the conditions under which a stored row t and a batch row s
// have the same key.
func keyMatch(pk []string) []string {
	match := make([]string, len(pk))
	for i, k := range pk {
		match[i] = fmt.Sprintf("t.%s IS NOT DISTINCT FROM s.%s", quote(k), quote(k))
	}
	return match
}

// rangeWhere is the condition of a range's rows.
func rangeWhere(r *schema.Range) string {
	conds := []string{
		fmt.Sprintf("%s >= %s", quote(r.Column), timestamp(r.From)),
		fmt.Sprintf("%s < %s", quote(r.Column), timestamp(r.To)),
	}
	for col, v := range r.Equal {
		conds = append(conds, fmt.Sprintf("%s = %s", quote(col), quoteString(v)))
	}
	return strings.Join(conds, " AND ")
}

// storedKeys counts the stored rows of a range whose key the record has:
// rows a replace deletes that are not new when inserted again.
func (d *DB) storedKeys(ctx context.Context, t *schema.Table, rec arrow.RecordBatch, r *schema.Range) (n int64, err error) {
	q := fmt.Sprintf("SELECT count(*) FROM %s AS t WHERE %s AND EXISTS (SELECT 1 FROM %s AS s WHERE %s)",
		d.qualified(t.Name), rangeWhere(r), keysView, strings.Join(keyMatch(t.PrimaryKey), " AND "))
	err = d.withKeys(ctx, t, rec, func(ex driver.ExecerContext) error {
		rows, err := ex.(driver.QueryerContext).QueryContext(ctx, q, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		v := make([]driver.Value, 1)
		if err := rows.Next(v); err != nil {
			return err
		}
		n, _ = v[0].(int64)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("table %s: keys in the replaced range: %w", t.Name, err)
	}
	return n, nil
}

// replace deletes the stored rows of a range.
func (d *DB) replace(ctx context.Context, t *schema.Table, r *schema.Range) error {
	q := fmt.Sprintf("DELETE FROM %s WHERE %s", d.qualified(t.Name), rangeWhere(r))
	if _, err := d.conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("table %s: replace range: %w", t.Name, err)
	}
	return nil
}

func (d *DB) sweep(ctx context.Context, t *schema.Table, s *schema.Sweep, now time.Time) (int64, error) {
	q := fmt.Sprintf("UPDATE %s SET %s = true, %s = %s WHERE NOT %s AND %s < %s",
		d.qualified(t.Name), quote(schema.DeletedColumn), quote(schema.SyncedAtColumn), timestamp(now),
		quote(schema.DeletedColumn), quote(schema.SyncedAtColumn), timestamp(s.Since))
	if s.ParentColumn != "" && len(s.KeepParents) > 0 {
		q += fmt.Sprintf(" AND %s NOT IN (%s)", quote(s.ParentColumn), joined(s.KeepParents, quoteString))
	}
	if s.ScopeColumn != "" {
		scope := joined(s.Scope, quoteString)
		if scope == "" {
			scope = "NULL"
		}
		q += fmt.Sprintf(" AND %s IN (%s)", quote(s.ScopeColumn), scope)
	}
	res, err := d.conn.ExecContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("table %s: mark deleted rows: %w", t.Name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("table %s: mark deleted rows: %w", t.Name, err)
	}
	return n, nil
}

// timestamp is t as a TIMESTAMPTZ literal.
func timestamp(t time.Time) string {
	return "TIMESTAMPTZ " + quoteString(t.UTC().Format(time.RFC3339Nano))
}

// joined is the comma-separated list of the values, each quoted by q.
func joined(values []string, q func(string) string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = q(v)
	}
	return strings.Join(out, ", ")
}
