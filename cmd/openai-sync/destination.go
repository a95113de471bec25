package main

import (
	"context"
	"errors"
	"time"

	"github.com/openai-sync/openai-sync/destinations/duckdb"
	"github.com/openai-sync/openai-sync/destinations/parquet"
	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/internal/lock"
	"github.com/openai-sync/openai-sync/schema"
)

// destination is what run, state and demo need of a destination.
type destination interface {
	extractor.Destination
	EnsureTables(ctx context.Context, tables []*schema.Table) error
	ResetStates(ctx context.Context, streams []string) (int64, error)
	Close() error
}

// viewer is a destination with analyst views (DuckDB).
type viewer interface {
	EnsureViews(ctx context.Context) error
}

var (
	_ destination = (*duckdb.DB)(nil)
	_ destination = (*parquet.Dataset)(nil)
)

// destOptions say which destination to open and how.
type destOptions struct {
	kind        string // duckdb or parquet
	path        string
	schema      string
	memoryLimit string
	storage     string // DuckDB storage version of a file the run creates
	waitForFile time.Duration
}

// defaultParquetPath is --path's default for --destination parquet.
const defaultParquetPath = "openai-sync-parquet"

// openDestination takes the destination's writer lock and opens it; close
// releases both.
func openDestination(ctx context.Context, io *IOStreams, o destOptions) (destination, func() error, error) {
	switch o.kind {
	case "parquet":
		ds, err := parquet.Open(ctx, parquet.Options{Dir: o.path})
		if err != nil {
			return nil, nil, err
		}
		return ds, ds.Close, nil
	case "duckdb", "":
		lk, err := lock.Acquire(o.path + ".lock")
		if err != nil {
			return nil, nil, err
		}
		db, err := duckdb.Open(ctx, duckdb.Options{Path: o.path, Schema: o.schema, MemoryLimit: o.memoryLimit,
			StorageVersion: o.storage, LockWait: o.waitForFile, OnWait: waitNotice(io, o.path, o.waitForFile)})
		if err != nil {
			lk.Release()
			if errors.Is(err, duckdb.ErrStorageVersion) {
				return nil, nil, usageErrorf("--storage-version: %v", err)
			}
			return nil, nil, err
		}
		return db, func() error { return errors.Join(db.Close(), lk.Release()) }, nil
	}
	return nil, nil, usageErrorf("--destination %q: want duckdb or parquet", o.kind)
}
