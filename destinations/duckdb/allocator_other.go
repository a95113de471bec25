//go:build !linux

package duckdb

// returnFreedMemory: only DuckDB's Linux builds use jemalloc.
func returnFreedMemory() error { return nil }
