package duckdb

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/openai-sync/openai-sync/schema"
)

// Write applies one batch in one transaction: stage the rows, replace a range
// if asked, merge by primary key, sweep deletions, store the cursor. It
// returns the number of rows newly marked deleted.
func (d *DB) Write(ctx context.Context, b schema.Batch) (deleted int64, err error) {
	if err := d.ensureTable(ctx, b.Table); err != nil {
		return 0, err
	}
	if _, err := d.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			if _, rbErr := d.conn.ExecContext(context.Background(), "ROLLBACK"); rbErr != nil {
				err = fmt.Errorf("%w (rollback: %v)", err, rbErr)
			}
		}
	}()
	now := time.Now().UTC()
	if b.Replace != nil {
		if err := d.replace(ctx, b.Table, b.Replace); err != nil {
			return 0, err
		}
	}
	if b.Record != nil && b.Record.NumRows() > 0 {
		if err := d.merge(ctx, b.Table, b.Record, now); err != nil {
			return 0, err
		}
	}
	if b.Sweep != nil {
		if deleted, err = d.sweep(ctx, b.Table, b.Sweep, now); err != nil {
			return 0, err
		}
	}
	if b.State != nil {
		if err := d.putState(ctx, *b.State, now); err != nil {
			return 0, err
		}
	}
	if _, err := d.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return 0, fmt.Errorf("commit %s: %w", b.Table.Name, err)
	}
	return deleted, nil
}

// withView registers rec as an Arrow view for the duration of fn, inside the
// caller's transaction: the view is dropped before the transaction commits,
// so it is never written to the file (a leaked Arrow view crashes DuckDB
// after a reopen). An Arrow view can be scanned only once: fn reads it once.
func (d *DB) withView(ctx context.Context, rec arrow.RecordBatch, fn func(ex driver.ExecerContext, view string) error) error {
	d.views++
	view := fmt.Sprintf("_arrow_src_%d", d.views)
	return d.conn.Raw(func(x any) error {
		dc := x.(driver.Conn)
		ar, err := duckdb.NewArrowFromConn(dc)
		if err != nil {
			return fmt.Errorf("arrow: %w", err)
		}
		rdr, err := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
		if err != nil {
			return fmt.Errorf("arrow reader: %w", err)
		}
		defer rdr.Release()
		release, err := ar.RegisterView(rdr, view)
		if err != nil {
			return fmt.Errorf("register arrow view: %w", err)
		}
		defer release()
		ex := dc.(driver.ExecerContext)
		if err := fn(ex, view); err != nil {
			return err
		}
		if _, err := ex.ExecContext(ctx, "DROP VIEW "+view, nil); err != nil {
			return fmt.Errorf("drop arrow view: %w", err)
		}
		return nil
	})
}

// merge upserts the record by primary key: delete the stored rows with the
// batch's keys, then insert the batch. Within one batch the last row of a key
// wins; a batch with repeated keys goes through a staging table first.
func (d *DB) merge(ctx context.Context, t *schema.Table, rec arrow.RecordBatch, now time.Time) error {
	var match []string
	for _, k := range t.PrimaryKey {
		match = append(match, fmt.Sprintf("t.%s IS NOT DISTINCT FROM s.%s", quote(k), quote(k)))
	}
	cols := make([]string, 0, len(t.Columns)+1)
	for _, c := range t.AllColumns() {
		cols = append(cols, quote(c.Name))
	}
	target := d.qualified(t.Name)
	deleteFrom := func(src string) string {
		return fmt.Sprintf("DELETE FROM %s AS t USING %s AS s WHERE %s", target, src, strings.Join(match, " AND "))
	}
	insertFrom := func(src string) string {
		return fmt.Sprintf("INSERT INTO %s (%s, %s, %s) SELECT %s, TIMESTAMPTZ %s, false FROM %s",
			target, strings.Join(cols, ", "), quote(schema.SyncedAtColumn), quote(schema.DeletedColumn),
			strings.Join(cols, ", "), quoteString(now.Format(time.RFC3339Nano)), src)
	}
	exec := func(ex driver.ExecerContext, q string) error {
		if _, err := ex.ExecContext(ctx, q, nil); err != nil {
			return fmt.Errorf("table %s: %.50s: %w", t.Name, q, err)
		}
		return nil
	}
	if !hasDuplicateKeys(rec, t.PrimaryKey) {
		keys := keyColumns(rec, t.PrimaryKey)
		defer keys.Release()
		err := d.withView(ctx, keys, func(ex driver.ExecerContext, view string) error { return exec(ex, deleteFrom(view)) })
		if err != nil {
			return err
		}
		return d.withView(ctx, rec, func(ex driver.ExecerContext, view string) error { return exec(ex, insertFrom(view)) })
	}
	const stage = "_openai_sync_stage"
	err := d.withView(ctx, rec, func(ex driver.ExecerContext, view string) error {
		return exec(ex, fmt.Sprintf("CREATE TEMP TABLE %s AS SELECT * FROM %s", stage, view))
	})
	if err != nil {
		return err
	}
	stmts := []string{
		fmt.Sprintf("DELETE FROM %s WHERE rowid NOT IN (SELECT max(rowid) FROM %s GROUP BY %s)", stage, stage, quotedList(t.PrimaryKey, "")),
		deleteFrom(stage),
		insertFrom(stage),
		"DROP TABLE " + stage,
	}
	for _, q := range stmts {
		if _, err := d.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("table %s: %.50s: %w", t.Name, q, err)
		}
	}
	return nil
}

func (d *DB) replace(ctx context.Context, t *schema.Table, r *schema.Range) error {
	conds := []string{
		fmt.Sprintf("%s >= TIMESTAMPTZ %s", quote(r.Column), quoteString(r.From.UTC().Format(time.RFC3339Nano))),
		fmt.Sprintf("%s < TIMESTAMPTZ %s", quote(r.Column), quoteString(r.To.UTC().Format(time.RFC3339Nano))),
	}
	for col, v := range r.Equal {
		conds = append(conds, fmt.Sprintf("%s = %s", quote(col), quoteString(v)))
	}
	q := fmt.Sprintf("DELETE FROM %s WHERE %s", d.qualified(t.Name), strings.Join(conds, " AND "))
	if _, err := d.conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("table %s: replace range: %w", t.Name, err)
	}
	return nil
}

func (d *DB) sweep(ctx context.Context, t *schema.Table, s *schema.Sweep, now time.Time) (int64, error) {
	q := fmt.Sprintf("UPDATE %s SET %s = true, %s = TIMESTAMPTZ %s WHERE NOT %s AND %s < TIMESTAMPTZ %s",
		d.qualified(t.Name), quote(schema.DeletedColumn), quote(schema.SyncedAtColumn),
		quoteString(now.Format(time.RFC3339Nano)), quote(schema.DeletedColumn),
		quote(schema.SyncedAtColumn), quoteString(s.Since.UTC().Format(time.RFC3339Nano)))
	if s.ParentColumn != "" && len(s.KeepParents) > 0 {
		keep := make([]string, len(s.KeepParents))
		for i, p := range s.KeepParents {
			keep[i] = quoteString(p)
		}
		q += fmt.Sprintf(" AND %s NOT IN (%s)", quote(s.ParentColumn), strings.Join(keep, ", "))
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

func quotedList(names []string, prefix string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = prefix + quote(n)
	}
	return strings.Join(q, ", ")
}
