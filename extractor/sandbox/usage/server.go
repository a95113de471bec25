// Package usage is a deterministic fake of OpenAI's ten Usage endpoints
// (/organization/usage/…) and the Costs endpoint (/organization/costs).
//
// Data is never stored: every bucket is generated on demand from
// (Seed, family, width, bucket start, dimension combination) at the finest
// grain, then aggregated by the requested group_by. Revise records revisions
// that are overlaid on the generated buckets.
//
// Each width is generated on its own: 24 hourly buckets add up to roughly,
// not exactly, the daily bucket.
//
// Choices where OpenAI's behaviour is not documented:
//   - The current (open) bucket is served with its boundary end_time, like
//     OpenAI, but its values only cover [bucket start, now): they grow as the
//     clock moves. A bucket that starts at or after min(end_time, now) is not
//     served. Without end_time the range ends at the open bucket's boundary
//     (same data as end_time=now). An end_time that is not on a boundary ends
//     the last bucket at end_time, with values for that part only.
//   - A partial first bucket (start_time off a boundary) and a partial last
//     bucket carry the full bucket's values scaled by the fraction covered
//     (floor), except for levels (vector_stores usage_bytes), which are not
//     scaled.
//   - next_page is "page_" + standard base64 of 12 bytes: the next bucket start
//     (8 bytes, big-endian) and a 4-byte FNV-1a checksum. A page token is
//     honoured by its start alone; any other parameter comes from the request.
//     A token that does not decode or whose checksum fails gets a 400 with
//     param "page".
package usage

import (
	"sync"
	"time"
)

// Options configures a Server.
type Options struct {
	Seed           int64
	Clock          func() time.Time // default time.Now
	ProjectIDs     []string         // from the org; usage references all of them, incl. archived
	UserIDs        []string
	APIKeyIDs      []string // project API key ids (key_…)
	VectorStoreIDs []string // may be empty: then vs_… ids are made up
	StringAmounts  bool     // costs amount.value served as a JSON string instead of a number
}

// Server serves the usage and costs endpoints. It is safe for concurrent use.
type Server struct {
	seed   int64
	clock  func() time.Time
	pools  pools
	byName map[string]*family
	byPath map[string]*family

	mu            sync.RWMutex
	stringAmounts bool
	revisions     []revision
}

// New returns a Server for opts.
func New(opts Options) *Server {
	s := &Server{
		seed:          opts.Seed,
		clock:         opts.Clock,
		pools:         newPools(opts),
		byName:        map[string]*family{},
		byPath:        map[string]*family{},
		stringAmounts: opts.StringAmounts,
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	for _, f := range allFamilies() {
		s.byName[f.name] = f
		s.byPath[f.path] = f
	}
	return s
}

// SetStringAmounts switches costs amount.value between a JSON number (false)
// and a JSON string with the same exact decimal (true).
func (s *Server) SetStringAmounts(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stringAmounts = on
}

// Families returns the endpoint families in a fixed order: the ten usage
// families, then "costs".
func Families() []string {
	fs := allFamilies()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	return names
}

func (s *Server) now() int64 { return s.clock().Unix() }
