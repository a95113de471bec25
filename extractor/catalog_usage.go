package extractor

import (
	"strings"

	"github.com/openai-sync/openai-sync/schema"
)

// usageLimits are the usage endpoints' widths and page maxima.
func usageLimits() map[string]int { return map[string]int{"1d": 31, "1h": 168, "1m": 1440} }

// usageStream declares one /organization/usage/* family. Rows are the results
// of every bucket, grouped by every dimension the endpoint supports; the key is
// the bucket start and width plus those dimensions (ungrouped nulls compare
// equal in merges).
func usageStream(family string, dims []schema.Column, metrics ...schema.Column) *Stream {
	name := "usage_" + family
	cols := []schema.Column{
		ts("bucket_start", "@bucket_start"), ts("bucket_end", "@bucket_end"), str("bucket_width", "@bucket_width"),
	}
	cols = append(cols, dims...)
	cols = append(cols, metrics...)
	cols = append(cols, str("object"))
	pk := []string{"bucket_start", "bucket_width"}
	groupBy := make([]string, len(dims))
	for i, d := range dims {
		pk = append(pk, d.Name)
		groupBy[i] = d.Name
	}
	t := table(name, pk, cols...)
	t.TimeColumn = "bucket_start"
	return &Stream{Name: name, Path: "/organization/usage/" + family, Paging: PagingPage, Key: AdminKey,
		Mode: Buckets, Table: t, Cursor: "bucket_start", Usage: &Usage{GroupBy: groupBy, Limits: usageLimits()},
		Doc: "Usage of " + family + " per bucket, grouped by " + strings.Join(groupBy, ", ") + "."}
}

func usageStreams() Catalog {
	who := []schema.Column{str("project_id"), str("user_id"), str("api_key_id"), str("model")}
	withDims := func(extra ...schema.Column) []schema.Column {
		return append(append([]schema.Column{}, who...), extra...)
	}
	requests := i64("num_model_requests")
	costs := table("costs", []string{"bucket_start", "bucket_width", "project_id", "line_item", "api_key_id"},
		ts("bucket_start", "@bucket_start"), ts("bucket_end", "@bucket_end"), str("bucket_width", "@bucket_width"),
		str("project_id"), str("line_item"), str("api_key_id"),
		dec("amount_value", "amount.value"), str("amount_currency", "amount.currency"),
		dec("quantity"), str("quantity_unit"), str("object"))
	costs.TimeColumn = "bucket_start"
	return Catalog{
		usageStream("completions", withDims(boolean("batch"), str("service_tier")),
			i64("input_tokens"), i64("output_tokens"), i64("input_cached_tokens"), i64("input_cache_write_tokens"),
			i64("input_uncached_tokens"), i64("input_text_tokens"), i64("output_text_tokens"),
			i64("input_cached_text_tokens"), i64("input_audio_tokens"), i64("input_cached_audio_tokens"),
			i64("output_audio_tokens"), i64("input_image_tokens"), i64("input_cached_image_tokens"),
			i64("output_image_tokens"), requests),
		usageStream("embeddings", withDims(), i64("input_tokens"), requests),
		usageStream("moderations", withDims(), i64("input_tokens"), requests),
		usageStream("images", withDims(str("size"), str("source")), i64("images"), requests),
		usageStream("audio_speeches", withDims(), i64("characters"), requests),
		usageStream("audio_transcriptions", withDims(), i64("seconds"), requests),
		usageStream("vector_stores", []schema.Column{str("project_id")}, i64("usage_bytes")),
		usageStream("code_interpreter_sessions", []schema.Column{str("project_id")}, i64("num_sessions")),
		usageStream("file_search_calls", []schema.Column{str("project_id"), str("user_id"), str("api_key_id"), str("vector_store_id")},
			i64("num_requests")),
		usageStream("web_search_calls", withDims(str("context_level")), requests, i64("num_requests")),
		{Name: "costs", Path: "/organization/costs", Paging: PagingPage, Key: AdminKey, Mode: Buckets, Table: costs,
			Cursor: "bucket_start", Usage: &Usage{GroupBy: []string{"project_id", "line_item", "api_key_id"}, Limits: map[string]int{"1d": 180}},
			Doc: "Costs per day, project, line item and API key; amount_value is exact (DECIMAL)."},
	}
}

// DefaultCatalog is every stream this build syncs.
func DefaultCatalog() Catalog {
	return append(append(orgStreams(), usageStreams()...), projectStreams()...)
}
