package parquet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// clean removes what an interrupted write left in dir: temporary files, data
// files the manifest does not name (renamed into place by a write whose
// commit never happened, or retired by a commit whose clean-up was cut
// short), and partition directories left empty. It touches only names this
// package makes.
func clean(ctx context.Context, dir string, m *Manifest) error {
	known := map[string]bool{}
	for _, s := range m.Streams {
		for _, f := range s.Files {
			known[filepath.Join(dir, filepath.FromSlash(f.Path))] = true
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("clean: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(dir, e.Name())
		switch {
		case !e.IsDir() && isTempName(e.Name()):
			errs = append(errs, removeFile(p))
		case e.IsDir() && checkName(e.Name()) == nil:
			errs = append(errs, cleanStream(p, known))
		}
	}
	return errors.Join(errs...)
}

// cleanStream cleans one stream directory and its date= partitions.
func cleanStream(dir string, known map[string]bool) error {
	errs := []error{cleanFiles(dir, known)}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("clean: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "date=") {
			p := filepath.Join(dir, e.Name())
			errs = append(errs, cleanFiles(p, known), removeIfEmpty(p))
		}
	}
	return errors.Join(errs...)
}

func cleanFiles(dir string, known map[string]bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("clean: %w", err)
	}
	var errs []error
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() && (isTempName(e.Name()) || isPartName(e.Name()) && !known[p]) {
			errs = append(errs, removeFile(p))
		}
	}
	return errors.Join(errs...)
}

func removeFile(p string) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("clean: %w", err)
	}
	return nil
}

// removeIfEmpty removes a partition directory with nothing left in it.
func removeIfEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) > 0 {
		return nil
	}
	return removeFile(dir)
}
