package extractor

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// Mode is how a stream is kept up to date.
type Mode int

const (
	// Snapshot: read whole every run, merged by key; rows that stop appearing
	// get _deleted = true.
	Snapshot Mode = iota
	// Incremental: resume from the stored cursor with an inclusive overlap,
	// merged by key (the audit log).
	Incremental
	// Buckets: usage and cost time buckets; each run re-reads a lookback
	// window and replaces what it covers.
	Buckets
)

func (m Mode) String() string {
	return [...]string{"snapshot", "incremental", "buckets"}[m]
}

// KeyKind is the kind of key a stream needs.
type KeyKind int

const (
	AdminKey KeyKind = iota
	ProjectKey
)

func (k KeyKind) String() string { return [...]string{"admin", "project"}[k] }

// Parent makes a stream fan out: its path has a {placeholder} filled with the
// id of every item of the parent stream, and each row gets that id in Column.
type Parent struct {
	Stream      string // the parent stream's name
	Placeholder string // e.g. "{project_id}"
	Column      string // e.g. "project_id"
	// DoneField, when set, is the parent's member that says when it
	// finished (fine-tuning jobs: finished_at). Children are append-only and
	// complete once their parent has finished, so parents that finished
	// before the stream's cursor are not read again.
	DoneField string
}

// Usage describes a usage or costs endpoint.
type Usage struct {
	GroupBy []string // every dimension the endpoint can group by; all are requested
	// Limits are the bucket widths the endpoint accepts, each with the most
	// buckets one page may hold (its `limit` maximum).
	Limits map[string]int
}

// Width is the width the endpoint is read at: the one asked for when the
// endpoint accepts it, else its only one (costs are daily).
func (u *Usage) Width(asked string) string {
	if _, ok := u.Limits[asked]; ok || len(u.Limits) != 1 {
		return asked
	}
	for w := range u.Limits {
		return w
	}
	return asked
}

// Stream is the one declaration of a stream: it drives the requests, the
// table, the DDL, the `streams` command and the README.
type Stream struct {
	Name   string
	Path   string
	Paging Paging
	Key    KeyKind
	Mode   Mode
	Limit  int        // page size requested; 0 = the endpoint's default
	Params url.Values // fixed parameters sent on every request
	// Headers are sent on every request of the stream (OpenAI-Beta).
	Headers http.Header
	Parent  *Parent
	Usage   *Usage
	Table   *schema.Table
	Cursor  string // what the stored cursor is, for documentation
	// Overlap is how far before its stored cursor an incremental stream
	// reads again, for items the API shows some time after their time
	// (merged by key, so nothing is duplicated).
	Overlap time.Duration
	Doc     string
}

// Endpoint is the stream's path as documented.
func (s *Stream) Endpoint() string { return s.Path }

// Catalog is the set of streams this build knows, in a stable order.
type Catalog []*Stream

// Lookup returns the stream called name.
func (c Catalog) Lookup(name string) (*Stream, bool) {
	for _, s := range c {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// Names lists the stream names.
func (c Catalog) Names() []string {
	out := make([]string, len(c))
	for i, s := range c {
		out[i] = s.Name
	}
	return out
}

// Select returns the streams named in include (all when empty) minus those in
// exclude, in catalogue order. Unknown names are an error that lists the
// known ones.
func (c Catalog) Select(include, exclude []string) (Catalog, error) {
	for _, n := range append(slices.Clone(include), exclude...) {
		if _, ok := c.Lookup(n); !ok {
			return nil, fmt.Errorf("unknown stream %q (known: %s)", n, strings.Join(c.Names(), ", "))
		}
	}
	var out Catalog
	for _, s := range c {
		if (len(include) == 0 || slices.Contains(include, s.Name)) && !slices.Contains(exclude, s.Name) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Validate checks every declaration.
func (c Catalog) Validate() error {
	seen := map[string]bool{}
	for _, s := range c {
		if seen[s.Name] {
			return fmt.Errorf("stream %s declared twice", s.Name)
		}
		seen[s.Name] = true
		if s.Table == nil || s.Table.Name != s.Name {
			return fmt.Errorf("stream %s: table must be named after the stream", s.Name)
		}
		if err := s.Table.Validate(); err != nil {
			return err
		}
		if s.Parent != nil {
			if _, ok := c.Lookup(s.Parent.Stream); !ok {
				return fmt.Errorf("stream %s: parent %s not declared", s.Name, s.Parent.Stream)
			}
			if !strings.Contains(s.Path, s.Parent.Placeholder) {
				return fmt.Errorf("stream %s: path lacks %s", s.Name, s.Parent.Placeholder)
			}
		}
	}
	return nil
}

// column helpers keep declarations short.
func col(name string, k schema.Kind, path ...string) schema.Column {
	c := schema.Column{Name: name, Kind: k}
	if len(path) > 0 {
		c.Path = path[0]
	}
	return c
}
func str(name string, path ...string) schema.Column     { return col(name, schema.String, path...) }
func i64(name string, path ...string) schema.Column     { return col(name, schema.Int64, path...) }
func ts(name string, path ...string) schema.Column      { return col(name, schema.Timestamp, path...) }
func js(name string, path ...string) schema.Column      { return col(name, schema.JSON, path...) }
func boolean(name string, path ...string) schema.Column { return col(name, schema.Bool, path...) }
func dec(name string, path ...string) schema.Column     { return col(name, schema.Decimal, path...) }
func f64(name string, path ...string) schema.Column     { return col(name, schema.Float64, path...) }

func table(name string, pk []string, cols ...schema.Column) *schema.Table {
	return &schema.Table{Name: name, Columns: cols, PrimaryKey: pk}
}
