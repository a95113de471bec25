package parquet

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// Write applies one batch atomically. New data files are written under
// temporary names, synced and renamed into place; then the manifest, which
// names the current files, is replaced (the commit point); then the cursor;
// then the files the commit retired are removed.
//
// Rows of a batch are appended as a new file per partition, unless the batch
// replaces a range (the partitions it touches are rewritten without the rows
// in the range), sweeps (every partition of the stream is rewritten as a new
// generation: current rows only, deletions marked), or lands in a partition
// of compactFiles files (rewritten as one file of its current rows).
//
// It returns how many of the batch's keys were not stored before and how many
// rows were newly marked deleted.
func (d *Dataset) Write(ctx context.Context, b schema.Batch) (res schema.WriteResult, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lock == nil {
		return res, errClosed
	}
	if err := checkBatch(b); err != nil {
		return res, err
	}
	tx := d.begin()
	defer func() {
		if err != nil {
			tx.rollback()
		}
	}()
	if res, err = tx.apply(ctx, b); err != nil {
		return schema.WriteResult{}, fmt.Errorf("table %s: %w", b.Table.Name, err)
	}
	if err := tx.commit(ctx, b.State); err != nil {
		return schema.WriteResult{}, fmt.Errorf("commit %s: %w", b.Table.Name, err)
	}
	return res, nil
}

// checkBatch refuses a batch that names columns its table does not declare,
// before anything is written.
func checkBatch(b schema.Batch) error {
	if b.Table == nil {
		return fmt.Errorf("batch without a table")
	}
	t := b.Table
	if err := checkName(t.Name); err != nil {
		return err
	}
	has := func(c string) bool { _, ok := t.Column(c); return ok }
	if b.Record != nil {
		for _, k := range t.PrimaryKey {
			if len(b.Record.Schema().FieldIndices(k)) == 0 {
				return fmt.Errorf("table %s: record has no primary key column %s", t.Name, k)
			}
		}
	}
	if r := b.Replace; r != nil {
		if c, ok := t.Column(r.Column); !ok || c.Kind != schema.Timestamp {
			return fmt.Errorf("table %s: replace range: %s is not a timestamp column", t.Name, r.Column)
		}
		for c := range r.Equal {
			if !has(c) {
				return fmt.Errorf("table %s: replace range: no column %s", t.Name, c)
			}
		}
	}
	if s := b.Sweep; s != nil {
		if s.ParentColumn != "" && len(s.KeepParents) > 0 && !has(s.ParentColumn) {
			return fmt.Errorf("table %s: mark deleted rows: no column %s", t.Name, s.ParentColumn)
		}
		if s.ScopeColumn != "" && !has(s.ScopeColumn) {
			return fmt.Errorf("table %s: mark deleted rows: no column %s", t.Name, s.ScopeColumn)
		}
	}
	return nil
}

// apply writes the batch's files into the transaction.
func (tx *txn) apply(ctx context.Context, b schema.Batch) (schema.WriteResult, error) {
	st := tx.stream(b.Table)
	var fresh *source
	var rows map[string][]int
	if b.Record != nil && b.Record.NumRows() > 0 {
		fresh = newSource(b.Record, true)
		rows = byPartition(fresh, b.Table.TimeColumn, lastPerKey(fresh, b.Table.PrimaryKey))
	}
	rewrite := rewritten(b, st, rows)
	// A key stored without a time (its time did not parse) and now arriving
	// with one is not new: when some rows land in a dated partition, the
	// keys of the undated one count as stored.
	var untimed map[string]bool
	_, someUndated := rows[hiveNull]
	someDated := len(rows) > 1 || (len(rows) == 1 && !someUndated)
	if someDated && len(st.inPartition(hiveNull)) > 0 {
		var err error
		if untimed, err = readKeys(ctx, tx.d.dir, st.inPartition(hiveNull), b.Table.PrimaryKey, tx.d.mem); err != nil {
			return schema.WriteResult{}, err
		}
	}
	parts := st.partitions()
	for p := range rows {
		parts = append(parts, p)
	}
	slices.Sort(parts)
	var res schema.WriteResult
	for _, p := range slices.Compact(parts) {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		var r schema.WriteResult
		var err error
		elsewhere := untimed
		if p == hiveNull {
			elsewhere = nil
		}
		switch {
		case rewrite[p]:
			r, err = tx.rewrite(ctx, b, st, p, fresh, rows[p], elsewhere)
		case len(rows[p]) > 0:
			r.New, err = tx.appendRows(ctx, b.Table, st, p, fresh, rows[p], elsewhere)
		}
		if err != nil {
			return res, err
		}
		res.New += r.New
		res.Deleted += r.Deleted
	}
	return res, nil
}

// compactFiles is how many files a partition may have: a batch that would
// add one more rewrites the partition as one file instead, so a stream
// appended to often (the audit log) keeps few files a day.
const compactFiles = 16

// rewritten says which partitions a batch rewrites: all of them for a
// sweep; for a replaced range, the dates it covers when the stream is
// partitioned by the range's column, else all; and those it adds rows to
// that have compactFiles files.
func rewritten(b schema.Batch, st *Stream, rows map[string][]int) map[string]bool {
	out := map[string]bool{}
	for p := range rows {
		if len(st.inPartition(p)) >= compactFiles {
			out[p] = true
		}
	}
	all := append(st.partitions(), mapKeys(rows)...)
	switch r := b.Replace; {
	case b.Sweep != nil:
		for _, p := range all {
			out[p] = true
		}
	case r != nil && b.Table.TimeColumn != "" && r.Column == b.Table.TimeColumn:
		if !r.From.Before(r.To) {
			return out
		}
		lo := r.From.UTC().Format(time.DateOnly)
		hi := r.To.Add(-time.Microsecond).UTC().Format(time.DateOnly)
		for _, p := range all {
			if p != hiveNull && p >= lo && p <= hi {
				out[p] = true
			}
		}
	case r != nil:
		for _, p := range all {
			out[p] = true
		}
	}
	return out
}

func mapKeys(m map[string][]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// appendRows writes a batch's rows of one partition as a new file. It
// returns how many of their keys the partition did not have.
func (tx *txn) appendRows(ctx context.Context, t *schema.Table, st *Stream, p string, fresh *source, rows []int, elsewhere map[string]bool) (int64, error) {
	stored, err := readKeys(ctx, tx.d.dir, st.inPartition(p), t.PrimaryKey, tx.d.mem)
	if err != nil {
		return 0, err
	}
	refs := make([]rowRef, len(rows))
	for i, row := range rows {
		refs[i] = rowRef{row: row}
	}
	srcs := []*source{fresh}
	rec, err := assemble(tx.d.mem, fileSchema(t, srcs), srcs, refs, tx.now)
	if err != nil {
		return 0, err
	}
	defer rec.Release()
	return countNew(fresh, t.PrimaryKey, rows, stored, elsewhere), tx.addFile(t.Name, p, rec)
}

// countNew counts the rows whose key is not among the stored ones (in the
// partition, or elsewhere).
func countNew(fresh *source, pk []string, rows []int, stored, elsewhere map[string]bool) int64 {
	var n int64
	var b strings.Builder
	for _, row := range rows {
		if k := keyOf(fresh, pk, row, &b); !stored[k] && !elsewhere[k] {
			n++
		}
	}
	return n
}
