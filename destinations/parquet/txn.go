package parquet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/openai-sync/openai-sync/schema"
)

// txn is one write in progress: a copy of the manifest that becomes the
// dataset's only once it is on disk, the files renamed into place for it, and
// the files it retires.
type txn struct {
	d         *Dataset
	m         *Manifest
	now       time.Time
	changed   bool
	created   []string        // data files renamed into place; removed on rollback
	retired   []string        // data files the new manifest drops; removed after commit
	dirs      map[string]bool // directories whose entries changed
	committed bool
}

// begin starts a write. Its time, the _synced_at of the rows it writes, is
// later than every earlier write's, even if the clock went back.
func (d *Dataset) begin() *txn {
	now := time.Now().UTC().Truncate(time.Microsecond)
	if last := d.man.LastSyncedAt; !now.After(last) {
		now = last.Add(time.Microsecond)
	}
	return &txn{d: d, m: d.man.clone(), now: now, dirs: map[string]bool{}}
}

// stream returns the manifest entry of t, creating or updating it.
func (tx *txn) stream(t *schema.Table) *Stream {
	st := tx.m.Streams[t.Name]
	if st == nil {
		st = &Stream{}
		tx.m.Streams[t.Name] = st
	}
	if !slices.Equal(st.PrimaryKey, t.PrimaryKey) || st.TimeColumn != t.TimeColumn {
		st.PrimaryKey, st.TimeColumn = append([]string(nil), t.PrimaryKey...), t.TimeColumn
		tx.changed = true
	}
	return st
}

// addFile writes rec as the next data file of a stream's partition.
func (tx *txn) addFile(stream, partition string, rec arrow.RecordBatch) error {
	seq := tx.m.NextSeq
	rel := filePath(stream, partition, seq)
	abs := filepath.Join(tx.d.dir, filepath.FromSlash(rel))
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	for p := dir; p != tx.d.dir && len(p) > len(tx.d.dir); p = filepath.Dir(p) {
		tx.dirs[p] = true
	}
	tx.dirs[tx.d.dir] = true
	if err := writeParquet(abs, rec, tx.d.rowGroupRows, tx.d.mem); err != nil {
		return err
	}
	tx.created = append(tx.created, abs)
	tx.m.NextSeq++
	tx.m.LastSyncedAt = tx.now
	st := tx.m.Streams[stream]
	st.Files = append(st.Files, File{Path: rel, Seq: seq, Partition: partition, Rows: rec.NumRows()})
	tx.changed = true
	return nil
}

// retire drops files from a stream's list; they are removed once the
// manifest without them is committed.
func (tx *txn) retire(st *Stream, files []File) {
	if len(files) == 0 {
		return
	}
	st.drop(files)
	for _, f := range files {
		tx.retired = append(tx.retired, filepath.Join(tx.d.dir, filepath.FromSlash(f.Path)))
	}
	tx.changed = true
}

// commit makes the write durable and visible: the new files' directory
// entries synced, the manifest replaced (the commit point), the cursor
// stored, the retired files removed. A crash before the manifest is replaced
// leaves the old manifest, whose files are untouched (the new ones are
// removed by the next Open); a crash after it leaves the old cursor, behind
// the rows, which a rerun reads again and merges.
func (tx *txn) commit(ctx context.Context, state *schema.State) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if tx.changed {
		for dir := range tx.dirs {
			if err := tx.d.syncDir(dir); err != nil {
				return err
			}
		}
		if err := tx.m.save(tx.d.dir, tx.d.syncDir); err != nil {
			if !errors.Is(err, errInPlace) {
				return err
			}
			// Readers already see the new manifest: the write is
			// committed, and its files must stay. The error still fails it.
			tx.d.man, tx.committed = tx.m, true
			return err
		}
		tx.d.man = tx.m
	}
	tx.committed = true
	if state != nil {
		if err := tx.d.putState(*state, tx.now); err != nil {
			return err
		}
	}
	tx.removeRetired()
	return nil
}

// removeRetired removes the files the committed manifest no longer names,
// and partition directories left empty. It does its best: what it leaves, the
// next Open removes.
func (tx *txn) removeRetired() {
	for _, p := range tx.retired {
		_ = removeFile(p)
		_ = removeIfPartitionEmpty(filepath.Dir(p))
	}
}

// rollback removes the files a write renamed into place before it failed.
func (tx *txn) rollback() {
	if tx.committed {
		return
	}
	for _, p := range tx.created {
		_ = os.Remove(p)
		_ = removeIfPartitionEmpty(filepath.Dir(p))
	}
}

// removeIfPartitionEmpty removes dir if it is an empty date= directory.
func removeIfPartitionEmpty(dir string) error {
	if !strings.HasPrefix(filepath.Base(dir), "date=") {
		return nil
	}
	return removeIfEmpty(dir)
}
