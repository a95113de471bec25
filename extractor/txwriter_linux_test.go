package extractor

import (
	"context"
	"sync"
	"syscall"
	"testing"
)

// Every batch reaches the destination from one OS thread, so that a cgo
// destination's C allocations stay in one malloc arena.
func TestTheWriterAppliesEveryBatchFromOneThread(t *testing.T) {
	d := newTxDest()
	var mu sync.Mutex
	threads := map[int]int{}
	d.onApply = func(int) {
		mu.Lock()
		defer mu.Unlock()
		threads[syscall.Gettid()]++
	}
	run, err := auditRun(context.Background(), t, d, 0)
	if err != nil || run.Status != StatusSucceeded {
		t.Fatalf("run %s: %v", run.Status, err)
	}
	if d.applies < 6 {
		t.Fatalf("%d applies, want the 3,000 events in several batches", d.applies)
	}
	if len(threads) != 1 {
		t.Errorf("%d applies came from %d threads (%v), want one", d.applies, len(threads), threads)
	}
}
