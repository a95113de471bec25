package parquet

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"
)

// ManifestName is the file, in the dataset directory, that names the current
// files of every stream. Replacing it is the commit point of a write.
const ManifestName = "_manifest.json"

const manifestVersion = 1

// Manifest is the content of ManifestName.
type Manifest struct {
	Version int `json:"version"`
	// NextSeq is the sequence number the next data file gets.
	NextSeq int64 `json:"next_seq"`
	// LastSyncedAt is the _synced_at of the latest write: each write's is
	// later, so the newest version of a row is the one with the greatest.
	LastSyncedAt time.Time          `json:"last_synced_at"`
	Streams      map[string]*Stream `json:"streams"`
}

// Stream lists one stream's current files, oldest first.
type Stream struct {
	// PrimaryKey is the key the current-rows rule deduplicates by.
	PrimaryKey []string `json:"primary_key"`
	// TimeColumn, when set, is the column whose UTC date partitions the files.
	TimeColumn string `json:"time_column,omitempty"`
	Files      []File `json:"files"`
}

// File is one data file of a stream.
type File struct {
	// Path is relative to the dataset directory, with forward slashes.
	Path string `json:"path"`
	Seq  int64  `json:"seq"`
	// Partition is the file's date (YYYY-MM-DD, or hiveNull for rows
	// without a time); empty for a stream without a time column.
	Partition string `json:"partition,omitempty"`
	Rows      int64  `json:"rows"`
}

// hiveNull is the partition of rows whose time column is null, as Hive,
// Spark and DuckDB spell it.
const hiveNull = "__HIVE_DEFAULT_PARTITION__"

func newManifest() *Manifest {
	return &Manifest{Version: manifestVersion, NextSeq: 1, Streams: map[string]*Stream{}}
}

// ReadManifest reads the manifest of the dataset in dir; a directory without
// one has an empty manifest.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return newManifest(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	m := newManifest()
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", filepath.Join(dir, ManifestName), err)
	}
	if m.Version != manifestVersion {
		return nil, fmt.Errorf("read manifest: version %d, this program reads version %d", m.Version, manifestVersion)
	}
	if m.Streams == nil {
		m.Streams = map[string]*Stream{}
	}
	return m, nil
}

func (m *Manifest) save(dir string, sync func(string) error) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	return writeFileAtomic(dir, ManifestName, append(data, '\n'), sync)
}

// clone is a deep copy: a write changes the copy, and the copy becomes the
// manifest only once it is on disk.
func (m *Manifest) clone() *Manifest {
	c := *m
	c.Streams = make(map[string]*Stream, len(m.Streams))
	for name, s := range m.Streams {
		cs := *s
		cs.PrimaryKey = append([]string(nil), s.PrimaryKey...)
		cs.Files = append([]File(nil), s.Files...)
		c.Streams[name] = &cs
	}
	return &c
}

// inPartition returns the stream's files in partition p, oldest first.
func (s *Stream) inPartition(p string) []File {
	var out []File
	for _, f := range s.Files {
		if f.Partition == p {
			out = append(out, f)
		}
	}
	return out
}

// partitions returns the stream's partitions, sorted.
func (s *Stream) partitions() []string {
	seen := map[string]bool{}
	for _, f := range s.Files {
		seen[f.Partition] = true
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// drop removes files from the list.
func (s *Stream) drop(files []File) {
	gone := make(map[string]bool, len(files))
	for _, f := range files {
		gone[f.Path] = true
	}
	kept := s.Files[:0]
	for _, f := range s.Files {
		if !gone[f.Path] {
			kept = append(kept, f)
		}
	}
	s.Files = kept
}

// filePath is where the data file seq of a stream's partition lives,
// relative to the dataset directory.
func filePath(stream, partition string, seq int64) string {
	name := fmt.Sprintf("part-%010d.parquet", seq)
	if partition == "" {
		return path.Join(stream, name)
	}
	return path.Join(stream, "date="+partition, name)
}

// isPartName reports whether name is a data file name made by filePath:
// "part-", ten digits or more, ".parquet".
func isPartName(name string) bool {
	const prefix, suffix = "part-", ".parquet"
	if len(name) < len(prefix)+10+len(suffix) || name[:len(prefix)] != prefix || name[len(name)-len(suffix):] != suffix {
		return false
	}
	for _, c := range name[len(prefix) : len(name)-len(suffix)] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
