package schema

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// Batch is one unit of work for a destination: rows of one table and the
// cursor that covers them, committed together or not at all.
type Batch struct {
	Table *Table
	// Record holds the rows (schema Table.ArrowSchema()); nil when there are none.
	Record arrow.RecordBatch
	// Replace, when set, deletes the stored rows in a range before the rows are
	// merged: a re-read usage window replaces what it covers, so a result that
	// OpenAI dropped on revision disappears too.
	Replace *Range
	// Sweep, when set, says the snapshot listing of the table is complete:
	// rows not written since Sweep.Since get DeletedColumn = true.
	Sweep *Sweep
	// State, when set, is stored in the same transaction as the rows.
	State *State
	// Stream names the stream the batch belongs to.
	Stream string
}

// WriteResult is what one Write changed.
type WriteResult struct {
	New     int64 // rows whose key was not stored before
	Deleted int64 // rows newly marked deleted by the sweep
}

// Range selects stored rows: From <= Column < To, and each Equal column equal
// to its value.
type Range struct {
	Column   string
	From, To time.Time
	Equal    map[string]string
}

// Sweep marks rows that a complete snapshot did not return as deleted.
// Rows whose ParentColumn value is in KeepParents are left alone: their
// parent's listing could not be read this time.
// When ScopeColumn is set, only rows whose ScopeColumn value is in Scope are
// swept (a project stream read with some of the projects' keys).
type Sweep struct {
	Since        time.Time
	ParentColumn string
	KeepParents  []string
	ScopeColumn  string
	Scope        []string
}

// State is a stream's stored cursor.
type State struct {
	Stream    string
	Cursor    string
	UpdatedAt time.Time
}

// Run is the record of one sync run.
type Run struct {
	ID       string         `json:"run_id"`
	Started  time.Time      `json:"started_at"`
	Ended    time.Time      `json:"ended_at"`
	Status   string         `json:"status"` // running, succeeded, partial, failed, interrupted
	Streams  []StreamResult `json:"streams"`
	Error    string         `json:"error,omitempty"`
	Requests int            `json:"requests"`
	Rows     int64          `json:"rows"`
}

// StreamResult is what one stream did in a run.
type StreamResult struct {
	Stream   string `json:"stream"`
	Status   string `json:"status"` // succeeded, failed, skipped
	Rows     int64  `json:"rows"`
	Requests int    `json:"requests"`
	New      int64  `json:"new"`
	Deleted  int64  `json:"deleted"`
	Error    string `json:"error,omitempty"`
	Millis   int64  `json:"duration_ms"`
}
