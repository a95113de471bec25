package parquet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// RunsName is the file, in the dataset directory, that records the runs: one
// JSON object a line, one line a run, with the columns of the DuckDB
// destination's _sync_runs.
const RunsName = "_sync_runs.jsonl"

type runRecord struct {
	RunID    string                `json:"run_id"`
	Started  time.Time             `json:"started_at"`
	Ended    *time.Time            `json:"ended_at"`
	Status   string                `json:"status"`
	Rows     int64                 `json:"rows"`
	Requests int                   `json:"requests"`
	Streams  []schema.StreamResult `json:"streams"`
	Error    string                `json:"error,omitempty"`
}

func (d *Dataset) readRuns() ([]runRecord, error) {
	data, err := os.ReadFile(filepath.Join(d.dir, RunsName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	var out []runRecord
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var r runRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("read runs %s: %w", filepath.Join(d.dir, RunsName), err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

func (d *Dataset) saveRuns(runs []runRecord) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range runs {
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("encode run %s: %w", r.RunID, err)
		}
	}
	return writeFileAtomic(d.dir, RunsName, buf.Bytes(), d.syncDir)
}

// StartRun records a run as running. A run still marked running from an
// earlier process that was killed is marked interrupted first.
func (d *Dataset) StartRun(_ context.Context, r schema.Run) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	runs, err := d.readRuns()
	if err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	for i := range runs {
		if runs[i].Status == "running" {
			runs[i].Status = "interrupted"
			runs[i].Error = "the process ended before the run finished"
		}
	}
	runs = append(runs, runRecord{RunID: r.ID, Started: r.Started.UTC(), Status: "running"})
	if err := d.saveRuns(runs); err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	return nil
}

// FinishRun stores the outcome of a run.
func (d *Dataset) FinishRun(_ context.Context, r schema.Run) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	runs, err := d.readRuns()
	if err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	i := len(runs)
	for j := range runs {
		if runs[j].RunID == r.ID {
			i = j
		}
	}
	if i == len(runs) {
		runs = append(runs, runRecord{RunID: r.ID, Started: r.Started.UTC()})
	}
	ended := r.Ended.UTC()
	runs[i].Ended, runs[i].Status, runs[i].Rows, runs[i].Requests = &ended, r.Status, r.Rows, r.Requests
	runs[i].Streams, runs[i].Error = r.Streams, r.Error
	if err := d.saveRuns(runs); err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	return nil
}

// Runs returns the recorded runs, oldest first.
func (d *Dataset) Runs(_ context.Context) ([]schema.Run, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	runs, err := d.readRuns()
	if err != nil {
		return nil, err
	}
	out := make([]schema.Run, len(runs))
	for i, r := range runs {
		out[i] = schema.Run{ID: r.RunID, Started: r.Started, Status: r.Status, Streams: r.Streams,
			Error: r.Error, Requests: r.Requests, Rows: r.Rows}
		if r.Ended != nil {
			out[i].Ended = *r.Ended
		}
	}
	return out, nil
}
