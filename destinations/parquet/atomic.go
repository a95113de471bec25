package parquet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tempName is the name a file is written under before it is renamed into
// place: hidden (Spark and Hive skip names starting with "."), and not
// matching "*.parquet" (DuckDB's and Polars' globs skip it).
func tempName(name string) string { return "." + name + ".tmp" }

// isTempName reports whether name is a temporary name made by tempName.
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp")
}

// errInPlace says that a file was renamed into place but the rename could
// not be made durable: readers see the new file, though a crash may still
// undo it. Whatever the file commits is committed.
var errInPlace = errors.New("in place, but its directory could not be synced")

// writeFileAtomic replaces dir/name with data: written to a temporary file,
// synced, renamed over the old file, and the rename synced (with sync, which
// is syncDir but in tests). A reader sees the old content or the new one,
// never a part.
func writeFileAtomic(dir, name string, data []byte, sync func(string) error) (err error) {
	tmp := filepath.Join(dir, tempName(name))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", name, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("rename %s: %w", name, err)
	}
	if err := sync(dir); err != nil {
		return fmt.Errorf("%s is %w: %w", name, errInPlace, err)
	}
	return nil
}

// syncDir makes the renames and removals in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
