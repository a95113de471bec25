// Package duckdb is the DuckDB destination: the only package that links the
// DuckDB driver (cgo). Build with -tags duckdb_arrow.
package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// Options configure a destination.
type Options struct {
	Path        string // the .duckdb file
	Schema      string // destination schema; default "openai"
	MemoryLimit string // DuckDB memory_limit; default "64MB"
	// Threads is DuckDB's thread count; default 1: the writer's statements
	// are small and a second thread cost more CPU than it saved, on a
	// machine that is also fetching and converting.
	Threads int
	// RowGroupSize is the rows per row group of new data; default 16,384
	// (DuckDB's own is 122,880). A transaction holds up to a row group of
	// new rows in memory before it writes them to the file, so this bounds
	// the memory a large backfill needs; scans and compression barely change.
	RowGroupSize int
	// StorageVersion is the DuckDB storage format of a file Open creates;
	// default DefaultStorageVersion. A file that exists keeps its own format.
	StorageVersion string
	// LockWait is how long Open waits while another process has the file
	// open (DuckDB allows one process at a time), calling OnWait each time
	// it tries again; 0 fails at once. A reattach waits as long.
	LockWait time.Duration
	OnWait   func(err error, waited time.Duration)
	// ReattachRows is how many rows a session writes before the next
	// transaction attaches the file again, from a new DuckDB instance (see
	// reattach);
	// default 262,144 (16 row groups), negative: never.
	ReattachRows int64
}

// DefaultStorageVersion is the storage format of the files Open creates: the
// oldest with DuckDB's combined dictionary-and-FSST string compression, which
// writes a row group of the audit log with 40 % less CPU than v1.0.0's
// separate dictionary and FSST analyses, for a file of the same size. DuckDB
// 1.3.0 (May 2025) and later read it.
const DefaultStorageVersion = "v1.3.0"

// ErrStorageVersion is the error of a storage version this DuckDB does not
// know, given for a file Open creates.
var ErrStorageVersion = errors.New("storage version unknown to this DuckDB")

// DB is an open DuckDB destination. One goroutine writes through it: every
// statement of its transactions runs on one pinned connection, and a second
// one only drops DuckDB's cache (dropCache).
type DB struct {
	db      *sql.DB
	conn    *sql.Conn
	side    *sql.Conn // dropCache's, never in a transaction
	schema  string    // quoted catalog.schema: a file named like the schema (openai.duckdb) makes "openai.t" ambiguous
	catalog string
	tables  map[string]map[string]bool // table → columns known to exist
	spans   map[string]*span           // table → what it holds, for merges
	views   map[string]*arrowView      // Arrow views registered in the open transaction
	inTx    bool                       // a transaction is open (Apply without Commit)
	opts    Options                    // as opened, defaults filled in: reattach attaches with them, dropCache restores their limit
	written int64                      // rows applied since the file was attached
	// detached: a reattach closed the instance and could not start a new
	// one; the connections above are closed until one does.
	detached bool
}

// Open opens (creating if needed) the DuckDB file and the destination schema
// with its bookkeeping tables, waiting up to opts.LockWait for another
// process to release the file.
func Open(ctx context.Context, opts Options) (d *DB, err error) {
	err = waitForFile(ctx, opts, func() error {
		d, err = open(ctx, opts)
		return err
	})
	return d, err
}

// waitForFile calls try until it succeeds, fails other than on the file
// lock, or opts.LockWait has passed.
func waitForFile(ctx context.Context, opts Options, try func() error) error {
	start := time.Now()
	for {
		err := try()
		if err == nil || !isLockError(err) || time.Since(start) >= opts.LockWait {
			return err
		}
		if opts.OnWait != nil {
			opts.OnWait(err, time.Since(start))
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(min(time.Second, opts.LockWait-time.Since(start)+time.Millisecond)):
		}
	}
}

func isLockError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "Could not set lock")
}

func open(ctx context.Context, opts Options) (_ *DB, err error) {
	if opts.Schema == "" {
		opts.Schema = "openai"
	}
	if opts.MemoryLimit == "" {
		opts.MemoryLimit = "64MB"
	}
	if opts.Threads <= 0 {
		opts.Threads = 1
	}
	if opts.RowGroupSize <= 0 {
		opts.RowGroupSize = 16384
	}
	if opts.StorageVersion == "" {
		opts.StorageVersion = DefaultStorageVersion
	}
	if opts.ReattachRows == 0 {
		opts.ReattachRows = 1 << 18
	}
	d := &DB{tables: map[string]map[string]bool{}, spans: map[string]*span{}, views: map[string]*arrowView{}, opts: opts}
	if err := d.connect(ctx); err != nil {
		return nil, fmt.Errorf("open %s: %w", opts.Path, err)
	}
	// Best effort: a sync runs as well without it, with more memory kept.
	_ = returnFreedMemory()
	return d, nil
}

// connect starts a DuckDB instance, attaches the file to it and opens the
// writer's and the side connection, with the destination schema and its
// bookkeeping tables. On an error it leaves d as it was.
func (d *DB) connect(ctx context.Context) (err error) {
	opts := d.opts
	// An in-memory instance that attaches the file: ATTACH is where DuckDB
	// takes the row group size. The instance spills beside the file from the
	// start: replaying a large WAL on ATTACH may already need to.
	dsn := url.Values{
		"threads":                      {strconv.Itoa(opts.Threads)},
		"memory_limit":                 {opts.MemoryLimit},
		"temp_directory":               {opts.Path + ".tmp"},
		"autoinstall_known_extensions": {"false"},
		"autoload_known_extensions":    {"true"},
	}
	db, err := sql.Open("duckdb", "?"+dsn.Encode())
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			conn.Close()
		}
	}()
	if err := attach(ctx, conn, opts); err != nil {
		return explainLock(err)
	}
	var catalog string
	if err := conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&catalog); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	schema := qualify(quote(catalog), opts.Schema)
	if err := bootstrap(ctx, conn, schema); err != nil {
		return err
	}
	side, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	d.db, d.conn, d.side = db, conn, side
	d.catalog, d.schema = catalog, schema
	return nil
}

// disconnect closes the connections and the instance.
func (d *DB) disconnect() error {
	return errors.Join(d.side.Close(), d.conn.Close(), d.db.Close())
}

// attach attaches the file as the default catalog, named after the file as
// DuckDB names it when it opens a file itself.
func attach(ctx context.Context, conn *sql.Conn, opts Options) error {
	alias := ""
	if stem := strings.TrimSuffix(filepath.Base(opts.Path), filepath.Ext(opts.Path)); strings.EqualFold(stem, "memory") {
		alias = " AS memory_file" // "memory" is the in-memory instance's own catalog
	}
	options := fmt.Sprintf("ROW_GROUP_SIZE %d", opts.RowGroupSize)
	if isNew(opts.Path) {
		// Given for a file that exists, DuckDB would rewrite it in this
		// format, which its users' older DuckDB may not read.
		options += ", STORAGE_VERSION " + quoteString(opts.StorageVersion)
	}
	q := fmt.Sprintf("ATTACH %s%s (%s)", quoteString(opts.Path), alias, options)
	if _, err := conn.ExecContext(ctx, q); err != nil {
		if strings.Contains(err.Error(), "not a known DuckDB version") {
			return fmt.Errorf("%w %q: %v", ErrStorageVersion, opts.StorageVersion, err)
		}
		return err
	}
	var name string
	err := conn.QueryRowContext(ctx, "SELECT database_name FROM duckdb_databases() WHERE NOT internal AND path IS NOT NULL").Scan(&name)
	if err != nil {
		return fmt.Errorf("attached catalog: %w", err)
	}
	// USE "x" alone may name a schema of the in-memory catalog (x = Main).
	_, err = conn.ExecContext(ctx, "USE "+quote(name)+".main")
	return err
}

// isNew reports whether ATTACH creates the file: it is not there (DuckDB
// refuses an empty one as not a database).
func isNew(path string) bool {
	_, err := os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// explainLock turns DuckDB's file-lock error into advice.
func explainLock(err error) error {
	if isLockError(err) {
		return fmt.Errorf("the DuckDB file is open in another process (close it, e.g. the duckdb CLI or a notebook, and run again): %w", err)
	}
	return err
}

// bootstrap creates the destination schema (quoted catalog.schema) and its
// bookkeeping tables in the attached file.
func bootstrap(ctx context.Context, conn *sql.Conn, schema string) error {
	stmts := []string{
		// Checkpoint (compress the WAL into the file) every 64 MB of WAL
		// rather than every 16 MB: many small checkpoints of a growing table
		// cost far more than a few large ones. Close checkpoints the rest.
		"SET checkpoint_threshold = '64MB'",
		"CREATE SCHEMA IF NOT EXISTS " + schema,
		"CREATE TABLE IF NOT EXISTS " + qualify(schema, "_sync_state") + ` (
			stream VARCHAR PRIMARY KEY, cursor VARCHAR, updated_at TIMESTAMPTZ)`,
		"CREATE TABLE IF NOT EXISTS " + qualify(schema, "_sync_runs") + ` (
			run_id VARCHAR PRIMARY KEY, started_at TIMESTAMPTZ, ended_at TIMESTAMPTZ,
			status VARCHAR, rows BIGINT, requests BIGINT, streams JSON, error VARCHAR)`,
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%.60s: %w", s, err)
		}
	}
	return nil
}

// Close rolls back a transaction left open, checkpoints and closes the file.
func (d *DB) Close() error {
	if d.detached {
		return nil // a failed reattach closed it all
	}
	errs := []error{d.Rollback()}
	if _, err := d.conn.ExecContext(context.Background(), "CHECKPOINT"); err != nil {
		errs = append(errs, fmt.Errorf("checkpoint: %w", err))
	}
	return errors.Join(append(errs, d.disconnect())...)
}

func (d *DB) qualified(table string) string { return qualify(d.schema, table) }

// qualify names table in schema, a quoted catalog.schema.
func qualify(schema, table string) string { return schema + "." + quote(table) }

func quote(ident string) string { return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"` }

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
