package usage

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestConcurrentUse(t *testing.T) {
	s := newTestServer()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			fam := Families()[i%len(Families())]
			start, end := testWindow("1d")
			q := window(start, end, "1d")
			q["group_by"] = allDims(s, fam)
			for range 5 {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, familyPath(s, fam)+"?"+q.Encode(), nil))
				if rec.Code != http.StatusOK {
					t.Errorf("%s: %d %s", fam, rec.Code, rec.Body)
				}
				s.Totals(fam, "1d", start, end)
			}
		})
	}
	wg.Go(func() {
		for i := range 5 {
			s.Revise(2, 1.01)
			s.SetStringAmounts(i%2 == 0)
		}
	})
	wg.Wait()
}
