package extractor

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A 429 with Retry-After pauses every worker sharing the client, not only the
// one that got it.
func TestA429PausesEveryWorker(t *testing.T) {
	const pause = 300 * time.Millisecond
	var (
		mu       sync.Mutex
		limitAt  time.Time
		arrivals []time.Time
		n        atomic.Int32
	)
	c := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		mu.Lock()
		arrivals = append(arrivals, now)
		mu.Unlock()
		if n.Add(1) == 3 {
			mu.Lock()
			limitAt = now
			mu.Unlock()
			w.Header().Set("Retry-After-Ms", fmt.Sprint(pause.Milliseconds()))
			w.WriteHeader(429)
			fmt.Fprint(w, `{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}`)
			return
		}
		time.Sleep(10 * time.Millisecond)
		fmt.Fprint(w, `{"object":"list","data":[],"has_more":false}`)
	})
	var wg sync.WaitGroup
	for worker := 0; worker < 4; worker++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				if _, err := c.Get(context.Background(), "/things", nil); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if limitAt.IsZero() {
		t.Fatal("no 429 was served")
	}
	// Requests already on the wire when the 429 came back may land just
	// after it; none may start later than that until the pause is over.
	for _, a := range arrivals {
		if a.After(limitAt.Add(50*time.Millisecond)) && a.Before(limitAt.Add(pause-20*time.Millisecond)) {
			t.Fatalf("a request arrived %s after the 429, inside the %s pause", a.Sub(limitAt), pause)
		}
	}
}
