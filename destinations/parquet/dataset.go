package parquet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/internal/lock"
	"github.com/openai-sync/openai-sync/schema"
)

// LockName is the lock file, in the dataset directory, that keeps two
// writers out of one dataset.
const LockName = "_sync.lock"

// Options configure a Parquet dataset.
type Options struct {
	Dir string
	// Allocator allocates the Arrow memory of reads and writes; default
	// memory.DefaultAllocator.
	Allocator memory.Allocator
	// RowGroupRows caps the rows of a row group; default DefaultRowGroupRows.
	RowGroupRows int64
}

// Dataset is a Parquet dataset open for writing. Its methods are safe for
// concurrent use, but one process writes a dataset at a time (Open takes a
// lock).
type Dataset struct {
	dir          string
	mem          memory.Allocator
	rowGroupRows int64
	lock         *lock.Lock

	mu     sync.Mutex
	man    *Manifest
	states map[string]stateEntry
	tables map[string]*schema.Table

	syncDir func(dir string) error // makes renames in dir durable; replaced by tests
}

// Open opens (creating if needed) the dataset in opts.Dir. It takes the
// dataset's lock, then removes what an interrupted write left behind:
// temporary files and data files the manifest does not name.
func Open(ctx context.Context, opts Options) (_ *Dataset, err error) {
	if opts.Dir == "" {
		return nil, errors.New("parquet: no directory given")
	}
	if opts.Allocator == nil {
		opts.Allocator = memory.DefaultAllocator
	}
	if opts.RowGroupRows <= 0 {
		opts.RowGroupRows = DefaultRowGroupRows
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("open %s: %w", opts.Dir, err)
	}
	lk, err := lock.Acquire(filepath.Join(opts.Dir, LockName))
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lk.Release()
		}
	}()
	man, err := ReadManifest(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", opts.Dir, err)
	}
	states, err := readStates(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", opts.Dir, err)
	}
	if err := clean(ctx, opts.Dir, man); err != nil {
		return nil, fmt.Errorf("open %s: %w", opts.Dir, err)
	}
	return &Dataset{dir: opts.Dir, mem: opts.Allocator, rowGroupRows: opts.RowGroupRows, lock: lk, syncDir: syncDir,
		man: man, states: states, tables: map[string]*schema.Table{}}, nil
}

var errClosed = errors.New("parquet: dataset is closed")

// Close releases the dataset's lock. Every write is committed when Write
// returns, so there is nothing to flush.
func (d *Dataset) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	err := d.lock.Release()
	d.lock = nil
	return err
}

// Dir is the dataset's directory.
func (d *Dataset) Dir() string { return d.dir }

// EnsureTables records the stream declarations: CurrentRows of a stream not
// yet written then has the table's columns. Files appear with the first rows.
func (d *Dataset) EnsureTables(_ context.Context, tables []*schema.Table) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, t := range tables {
		if err := checkName(t.Name); err != nil {
			return err
		}
		d.tables[t.Name] = t
	}
	return nil
}

// checkName refuses a stream name that is not a plain directory name, or one
// that readers would skip (a leading "." or "_").
func checkName(name string) error {
	if name == "" || name[0] == '.' || name[0] == '_' {
		return fmt.Errorf("stream name %q: not a usable directory name", name)
	}
	for _, c := range name {
		ok := c == '_' || c == '-' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return fmt.Errorf("stream name %q: not a usable directory name", name)
		}
	}
	return nil
}
