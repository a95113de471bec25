package extractor

import (
	"context"
	"sync"
	"time"
)

// gate is shared by every request of a run. A server-given delay (429 with
// Retry-After) closes it for everyone, so one rate-limited worker slows all
// of them instead of the others hammering on. It also spaces requests to an
// optional client-side rate.
type gate struct {
	mu       sync.Mutex
	until    time.Time     // closed until then
	interval time.Duration // minimum spacing between requests; 0 = no limit
	next     time.Time     // earliest start of the next request
}

func newGate(perSecond float64) *gate {
	g := &gate{}
	if perSecond > 0 {
		g.interval = time.Duration(float64(time.Second) / perSecond)
	}
	return g
}

// pause closes the gate for d from now (never shortens a longer pause).
func (g *gate) pause(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t := time.Now().Add(d); t.After(g.until) {
		g.until = t
	}
}

// wait blocks until the gate is open and this request's rate slot comes.
func (g *gate) wait(ctx context.Context) error {
	g.mu.Lock()
	now := time.Now()
	start := now
	if g.until.After(start) {
		start = g.until
	}
	if g.interval > 0 {
		if g.next.After(start) {
			start = g.next
		}
		g.next = start.Add(g.interval)
	}
	g.mu.Unlock()
	d := start.Sub(now)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
