package parquet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// StateName is the file, in the dataset directory, that holds every
// stream's cursor.
const StateName = "_sync_state.json"

type stateEntry struct {
	Cursor    string    `json:"cursor"`
	UpdatedAt time.Time `json:"updated_at"`
}

func readStates(dir string) (map[string]stateEntry, error) {
	data, err := os.ReadFile(filepath.Join(dir, StateName))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]stateEntry{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read cursors: %w", err)
	}
	out := map[string]stateEntry{}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("read cursors %s: %w", filepath.Join(dir, StateName), err)
	}
	return out, nil
}

// saveStates replaces the state file with states and, once it is on disk,
// makes them the dataset's.
func (d *Dataset) saveStates(states map[string]stateEntry) error {
	data, err := json.MarshalIndent(states, "", "  ")
	if err != nil {
		return fmt.Errorf("encode cursors: %w", err)
	}
	if err := writeFileAtomic(d.dir, StateName, append(data, '\n'), d.syncDir); err != nil {
		return err
	}
	d.states = states
	return nil
}

// putState stores one stream's cursor.
func (d *Dataset) putState(s schema.State, now time.Time) error {
	states := maps.Clone(d.states)
	states[s.Stream] = stateEntry{Cursor: s.Cursor, UpdatedAt: now}
	if err := d.saveStates(states); err != nil {
		return fmt.Errorf("store cursor of %s: %w", s.Stream, err)
	}
	return nil
}

// States returns every stored cursor by stream.
func (d *Dataset) States(_ context.Context) (map[string]schema.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]schema.State, len(d.states))
	for name, e := range d.states {
		out[name] = schema.State{Stream: name, Cursor: e.Cursor, UpdatedAt: e.UpdatedAt}
	}
	return out, nil
}

// ResetStates deletes the cursors of the given streams (all when none given),
// so their next run starts from the beginning. Rows are kept.
func (d *Dataset) ResetStates(_ context.Context, streams []string) (int64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	states := maps.Clone(d.states)
	if len(streams) == 0 {
		clear(states)
	}
	for _, s := range streams {
		delete(states, s)
	}
	n := int64(len(d.states) - len(states))
	if n == 0 {
		return 0, nil
	}
	if err := d.saveStates(states); err != nil {
		return 0, fmt.Errorf("reset cursors: %w", err)
	}
	return n, nil
}
