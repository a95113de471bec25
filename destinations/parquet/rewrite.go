package parquet

import (
	"context"
	"strings"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// rewrite replaces the files of one partition with one file of its current
// rows, as the DuckDB destination's transaction would leave them: stored rows
// in the batch's replace range dropped, the batch's rows merged by key (rows
// are the partition's rows of fresh), the sweep applied. It returns how many
// of the batch's keys the partition did not have and how many rows were newly
// marked deleted.
func (tx *txn) rewrite(ctx context.Context, b schema.Batch, st *Stream, p string, fresh *source, rows []int, elsewhere map[string]bool) (schema.WriteResult, error) {
	var res schema.WriteResult
	old := st.inPartition(p)
	srcs, err := readSources(ctx, tx.d.dir, old, nil, tx.d.mem)
	if err != nil {
		return res, err
	}
	defer releaseSources(srcs)
	cur, keys := current(srcs, b.Table.PrimaryKey)
	stored := make(map[string]bool, len(keys))
	for _, k := range keys {
		stored[k] = true
	}
	merged := map[string]bool{}
	var kb strings.Builder
	for _, row := range rows {
		merged[keyOf(fresh, b.Table.PrimaryKey, row, &kb)] = true
	}
	res.New = countNew(fresh, b.Table.PrimaryKey, rows, stored, elsewhere)
	refs := make([]rowRef, 0, len(cur)+len(rows))
	for i, r := range cur {
		if !merged[keys[i]] && !inRange(srcs[r.src], r.row, b.Replace) {
			refs = append(refs, r)
		}
	}
	if len(rows) > 0 {
		srcs = append(srcs, fresh)
		for _, row := range rows {
			refs = append(refs, rowRef{src: len(srcs) - 1, row: row})
		}
	}
	if b.Sweep != nil {
		res.Deleted = sweep(srcs, refs, b.Sweep, tx.now)
	}
	if len(refs) > 0 {
		rec, err := assemble(tx.d.mem, fileSchema(b.Table, srcs), srcs, refs, tx.now)
		if err != nil {
			return res, err
		}
		defer rec.Release()
		if err := tx.addFile(b.Table.Name, p, rec); err != nil {
			return res, err
		}
	}
	tx.retire(st, old)
	return res, nil
}

// inRange reports whether a stored row is in a replaced range: From <= Column
// < To and each Equal column equal to its value. A null never matches.
func inRange(s *source, row int, r *schema.Range) bool {
	if r == nil {
		return false
	}
	t, ok := timeAt(s.col(r.Column), row)
	if !ok || t.Before(r.From) || !t.Before(r.To) {
		return false
	}
	for c, want := range r.Equal {
		if v, ok := textAt(s.col(c), row); !ok || v != want {
			return false
		}
	}
	return true
}

// sweep marks deleted the rows a complete listing did not return, as the
// DuckDB destination does: not yet deleted, written before Since, (when
// parents are kept) with a parent not kept, and (when scoped) in scope. It
// returns how many it marked.
func sweep(srcs []*source, refs []rowRef, s *schema.Sweep, now time.Time) int64 {
	keep, scope := set(s.KeepParents), set(s.Scope)
	var n int64
	for i, r := range refs {
		if del, ok := deletedAt(srcs, r); !ok || del {
			continue
		}
		if t, ok := syncedAt(srcs, r, now); !ok || !t.Before(s.Since) {
			continue
		}
		if s.ParentColumn != "" && len(keep) > 0 {
			if parent, ok := textAt(srcs[r.src].col(s.ParentColumn), r.row); !ok || keep[parent] {
				continue
			}
		}
		if s.ScopeColumn != "" {
			if v, ok := textAt(srcs[r.src].col(s.ScopeColumn), r.row); !ok || !scope[v] {
				continue
			}
		}
		refs[i].tomb = true
		n++
	}
	return n
}

func set(values []string) map[string]bool {
	out := make(map[string]bool, len(values))
	for _, v := range values {
		out[v] = true
	}
	return out
}
