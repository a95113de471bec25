package usage

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// specResult is a result schema from openapi.yaml: its object, its integer
// metrics and its nullable dimensions (everything else it defines).
type specResult struct {
	object  string
	metrics []string
	dims    []string
}

func specResults() map[string]specResult {
	four := []string{"project_id", "user_id", "api_key_id", "model"}
	return map[string]specResult{
		"completions": {"organization.usage.completions.result", []string{"input_tokens", "input_cached_tokens",
			"input_cache_write_tokens", "input_uncached_tokens", "output_tokens", "input_text_tokens",
			"output_text_tokens", "input_cached_text_tokens", "input_audio_tokens", "input_cached_audio_tokens",
			"output_audio_tokens", "input_image_tokens", "input_cached_image_tokens", "output_image_tokens",
			"num_model_requests"}, append(slices.Clone(four), "batch", "service_tier")},
		"embeddings":                {"organization.usage.embeddings.result", []string{"input_tokens", "num_model_requests"}, four},
		"moderations":               {"organization.usage.moderations.result", []string{"input_tokens", "num_model_requests"}, four},
		"images":                    {"organization.usage.images.result", []string{"images", "num_model_requests"}, append(slices.Clone(four), "source", "size")},
		"audio_speeches":            {"organization.usage.audio_speeches.result", []string{"characters", "num_model_requests"}, four},
		"audio_transcriptions":      {"organization.usage.audio_transcriptions.result", []string{"seconds", "num_model_requests"}, four},
		"vector_stores":             {"organization.usage.vector_stores.result", []string{"usage_bytes"}, []string{"project_id"}},
		"code_interpreter_sessions": {"organization.usage.code_interpreter_sessions.result", []string{"num_sessions"}, []string{"project_id"}},
		"file_search_calls":         {"organization.usage.file_searches.result", []string{"num_requests"}, []string{"project_id", "user_id", "api_key_id", "vector_store_id"}},
		"web_search_calls":          {"organization.usage.web_searches.result", []string{"num_model_requests", "num_requests"}, append(slices.Clone(four), "context_level")},
		"costs":                     {"organization.costs.result", nil, []string{"line_item", "project_id", "api_key_id"}},
	}
}

func keysOf(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sorted(xs ...[]string) []string {
	out := slices.Concat(xs...)
	sort.Strings(out)
	return out
}

func TestResponsesMatchTheSpecSchemas(t *testing.T) {
	s := newTestServer()
	specs := specResults()
	for _, fam := range Families() {
		spec := specs[fam]
		if s.byName[fam].object != spec.object {
			t.Fatalf("%s: object %q", fam, s.byName[fam].object)
		}
		for _, g := range [][]string{nil, allDims(s, fam)} {
			for _, strAmounts := range []bool{false, true} {
				s.SetStringAmounts(strAmounts)
				q := window(testNow.Add(-day(6)-3*time.Hour), testNow, "1d")
				q["group_by"] = g
				q.Set("limit", "4")
				_, body := do(t, s, familyPath(s, fam), q)
				checkPageShape(t, fam, spec, body, strAmounts)
			}
		}
	}
	s.SetStringAmounts(false)
}

func checkPageShape(t *testing.T, fam string, spec specResult, body []byte, strAmounts bool) {
	t.Helper()
	var page map[string]any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&page); err != nil {
		t.Fatal(err)
	}
	if got := keysOf(page); !slices.Equal(got, []string{"data", "has_more", "next_page", "object"}) || page["object"] != "page" {
		t.Fatalf("%s: page keys %v", fam, got)
	}
	if _, ok := page["has_more"].(bool); !ok {
		t.Fatalf("%s: has_more %v", fam, page["has_more"])
	}
	if np, ok := page["next_page"].(string); page["next_page"] != nil && (!ok || !strings.HasPrefix(np, "page_")) {
		t.Fatalf("%s: next_page %v", fam, page["next_page"])
	}
	results := 0
	for _, raw := range page["data"].([]any) {
		b := raw.(map[string]any)
		if got := keysOf(b); !slices.Equal(got, []string{"end_time", "object", "results", "start_time"}) || b["object"] != "bucket" {
			t.Fatalf("%s: bucket keys %v", fam, got)
		}
		isInt(t, fam, "start_time", b["start_time"])
		isInt(t, fam, "end_time", b["end_time"])
		for _, rr := range b["results"].([]any) {
			results++
			r := rr.(map[string]any)
			if r["object"] != spec.object {
				t.Fatalf("%s: object %v", fam, r["object"])
			}
			want := sorted([]string{"object"}, spec.metrics, spec.dims)
			if fam == "costs" {
				want = sorted(want, []string{"amount", "quantity", "quantity_unit"})
				checkCost(t, r, strAmounts)
			}
			if got := keysOf(r); !slices.Equal(got, want) {
				t.Fatalf("%s: result keys %v, want %v", fam, got, want)
			}
			for _, m := range spec.metrics {
				isInt(t, fam, m, r[m])
			}
			for _, dim := range spec.dims {
				switch v := r[dim].(type) {
				case nil, string:
				case bool:
					if dim != "batch" {
						t.Fatalf("%s: %s is a bool", fam, dim)
					}
				default:
					t.Fatalf("%s: %s = %#v", fam, dim, v)
				}
			}
		}
	}
	if results == 0 {
		t.Fatalf("%s: no results to check", fam)
	}
}

func isInt(t *testing.T, fam, name string, v any) {
	t.Helper()
	n, ok := v.(json.Number)
	if _, err := n.Int64(); !ok || err != nil {
		t.Fatalf("%s: %s = %#v, want an integer", fam, name, v)
	}
}

func checkCost(t *testing.T, r map[string]any, strAmounts bool) {
	t.Helper()
	amount, ok := r["amount"].(map[string]any)
	if !ok || !slices.Equal(keysOf(amount), []string{"currency", "value"}) || amount["currency"] != "usd" {
		t.Fatalf("amount %#v", r["amount"])
	}
	if _, isStr := amount["value"].(string); isStr != strAmounts {
		t.Fatalf("amount value %#v (string amounts %v)", amount["value"], strAmounts)
	}
	if _, isNum := r["quantity"].(json.Number); r["quantity"] != nil && !isNum {
		t.Fatalf("quantity %#v", r["quantity"])
	}
	units := []string{"tokens", "1000_tokens", "duration_seconds", "duration_minutes", "duration_hours", "gibibyte_hours", "images", "characters"}
	if u, isStr := r["quantity_unit"].(string); r["quantity_unit"] != nil && (!isStr || !slices.Contains(units, u)) {
		t.Fatalf("quantity_unit %#v", r["quantity_unit"])
	}
}

func TestErrorBodyShape(t *testing.T) {
	s := newTestServer()
	_, body := do(t, s, familyPath(s, "completions"), url.Values{"start_time": {"1"}, "group_by": {"bogus"}})
	want := `{"error":{"message":"Invalid value for 'group_by': \"bogus\" is not one of project_id, user_id, api_key_id, model, batch, service_tier.","type":"invalid_request_error","param":"group_by","code":null}}`
	if got := strings.TrimSpace(string(body)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
