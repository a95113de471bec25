package usage

// dimSpec is one dimension of an endpoint: a group_by value, the result field
// that carries it and the filter parameter that restricts it.
type dimSpec struct {
	name   string   // group_by value and result field
	filter string   // filter query parameter ("" = none)
	enum   []string // allowed filter values (nil = any)
	isBool bool     // a JSON boolean on the result (completions batch)
}

// width is a bucket width with its page-size limits.
type width struct {
	name     string
	secs     int64
	defLimit int
	maxLimit int
}

// rowCtx is what a family needs to measure one fine-grain row.
type rowCtx struct {
	r    *rng
	seed int64
	dims []string
	w    width
}

// family is one endpoint. A row's metrics are in metrics order; derived
// metrics are recomputed from the leaves whenever the leaves change.
type family struct {
	name    string
	path    string
	object  string
	dims    []dimSpec
	metrics []string      // result metric fields, in spec order (Totals keys)
	sums    map[int][]int // derived metric index → the leaf indices it sums
	level   bool          // metrics are levels: partial buckets are not scaled
	widths  map[string]width
	maxRows int // most fine-grain rows in a 1d bucket

	combo   func(p *pools, r *rng) []string // a random fine-grain dimension combination
	fixed   func(seed int64, p *pools) [][]string
	measure func(c *rowCtx) []int64 // all metrics of a full bucket (derived ones may be 0)
	derive  func(r *row)            // nil: sums
	step    func(dims []string) int64
	costs   bool
	items   map[string]lineItem // costs line items by name
}

func usageWidths() map[string]width {
	return map[string]width{
		"1m": {name: "1m", secs: 60, defLimit: 60, maxLimit: 1440},
		"1h": {name: "1h", secs: 3600, defLimit: 24, maxLimit: 168},
		"1d": {name: "1d", secs: 86400, defLimit: 7, maxLimit: 31},
	}
}

func dimProject() dimSpec { return dimSpec{name: "project_id", filter: "project_ids"} }
func dimUser() dimSpec    { return dimSpec{name: "user_id", filter: "user_ids"} }
func dimKey() dimSpec     { return dimSpec{name: "api_key_id", filter: "api_key_ids"} }
func dimModel() dimSpec   { return dimSpec{name: "model", filter: "models"} }

// allFamilies builds the endpoint table; it is built per Server so that the
// package holds no mutable state.
func allFamilies() []*family {
	fs := []*family{
		completions(),
		modelFamily("embeddings", "input_tokens", 12, []string{
			"text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002-v2"}, measureTokens(50, 2000)),
		modelFamily("moderations", "input_tokens", 6, []string{
			"omni-moderation-2024-09-26", "text-moderation-007"}, measureTokens(20, 600)),
		images(),
		modelFamily("audio_speeches", "characters", 6, []string{
			"tts-1", "tts-1-hd", "gpt-4o-mini-tts"}, measureTokens(80, 3000)),
		modelFamily("audio_transcriptions", "seconds", 6, []string{
			"whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"}, measureTokens(5, 900)),
		vectorStores(),
		codeInterpreter(),
		fileSearch(),
		webSearch(),
		costsFamily(),
	}
	for _, f := range fs {
		if f.widths == nil {
			f.widths = usageWidths()
		}
		if f.object == "" {
			f.object = "organization.usage." + f.name + ".result"
		}
		if f.path == "" {
			f.path = "/organization/usage/" + f.name
		}
		if f.derive == nil {
			f.derive = sumDerive(f)
		}
		if f.step == nil {
			f.step = func([]string) int64 { return 1 }
		}
	}
	return fs
}

// isLeaf reports whether metric i is generated rather than derived.
func (f *family) isLeaf(i int) bool {
	if f.costs {
		return i == costQuantity
	}
	_, derived := f.sums[i]
	return !derived
}

func sumDerive(f *family) func(r *row) {
	return func(r *row) {
		for d, leaves := range f.sums {
			var t int64
			for _, l := range leaves {
				t += r.m[l]
			}
			r.m[d] = t
		}
	}
}

func completions() *family {
	tiers := []string{"default", "default", "default", "flex", "priority"}
	models := []string{"gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14",
		"gpt-5-2025-08-07", "o4-mini-2025-04-16", "gpt-4.1-mini-2025-04-14", "gpt-4o-audio-preview-2024-12-17"}
	return &family{
		name: "completions",
		dims: []dimSpec{dimProject(), dimUser(), dimKey(), dimModel(),
			{name: "batch", filter: "batch", isBool: true}, {name: "service_tier"}},
		metrics: []string{"input_tokens", "input_cached_tokens", "input_cache_write_tokens",
			"input_uncached_tokens", "output_tokens", "input_text_tokens", "output_text_tokens",
			"input_cached_text_tokens", "input_audio_tokens", "input_cached_audio_tokens",
			"output_audio_tokens", "input_image_tokens", "input_cached_image_tokens",
			"output_image_tokens", "num_model_requests"},
		sums: map[int][]int{
			0: {2, 5, 7, 8, 9, 11, 12}, // input = cache write + uncached + cached, every modality
			1: {7, 9, 12},              // cached = cached text + audio + image
			3: {5, 8, 11},              // uncached = text + audio + image
			4: {6, 10, 13},             // output = text + audio + image
		},
		maxRows: 25,
		combo: func(p *pools, r *rng) []string {
			batch, tier := "false", r.pick(tiers)
			if r.pct(15) {
				batch, tier = "true", "default"
			}
			return []string{r.pick(p.projects), r.pick(p.users), r.pick(p.keys), r.pick(models), batch, tier}
		},
		measure: measureCompletions,
	}
}

func modelFamily(name, metric string, maxRows int, models []string, measure func(*rowCtx) []int64) *family {
	return &family{
		name:    name,
		dims:    []dimSpec{dimProject(), dimUser(), dimKey(), dimModel()},
		metrics: []string{metric, "num_model_requests"},
		maxRows: maxRows,
		combo: func(p *pools, r *rng) []string {
			return []string{r.pick(p.projects), r.pick(p.users), r.pick(p.keys), r.pick(models)}
		},
		measure: measure,
	}
}

func images() *family {
	sizes := map[string][]string{
		"dall-e-3":    {"1024x1024", "1792x1792", "1024x1792"},
		"dall-e-2":    {"256x256", "512x512", "1024x1024"},
		"gpt-image-1": {"1024x1024", "1024x1792"},
	}
	sources := map[string][]string{
		"dall-e-3":    {"image.generation"},
		"dall-e-2":    {"image.generation", "image.variation", "image.edit"},
		"gpt-image-1": {"image.generation", "image.edit"},
	}
	models := []string{"gpt-image-1", "dall-e-3", "dall-e-2"}
	return &family{
		name: "images",
		dims: []dimSpec{dimProject(), dimUser(), dimKey(), dimModel(),
			{name: "size", filter: "sizes", enum: []string{"256x256", "512x512", "1024x1024", "1792x1792", "1024x1792"}},
			{name: "source", filter: "sources", enum: []string{"image.generation", "image.edit", "image.variation"}}},
		metrics: []string{"images", "num_model_requests"},
		maxRows: 8,
		combo: func(p *pools, r *rng) []string {
			m := r.pick(models)
			return []string{r.pick(p.projects), r.pick(p.users), r.pick(p.keys), m, r.pick(sizes[m]), r.pick(sources[m])}
		},
		measure: measureImages,
	}
}

func vectorStores() *family {
	return &family{
		name:    "vector_stores",
		dims:    []dimSpec{dimProject()},
		metrics: []string{"usage_bytes"},
		level:   true,
		combo:   func(p *pools, r *rng) []string { return []string{r.pick(p.projects)} },
		fixed: func(seed int64, p *pools) [][]string {
			// About half the projects store files, at most five.
			var out [][]string
			for _, id := range p.projects {
				if len(out) < 5 && newRNG(seed, "stores", id).pct(50) {
					out = append(out, []string{id})
				}
			}
			return out
		},
		measure: measureStoreBytes,
	}
}

func codeInterpreter() *family {
	return &family{
		name:    "code_interpreter_sessions",
		dims:    []dimSpec{dimProject()},
		metrics: []string{"num_sessions"},
		maxRows: 5,
		combo:   func(p *pools, r *rng) []string { return []string{r.pick(p.projects)} },
		measure: func(c *rowCtx) []int64 { return []int64{1 + c.r.between(0, volume(c.w)/20)} },
	}
}

func fileSearch() *family {
	return &family{
		name:    "file_search_calls",
		object:  "organization.usage.file_searches.result",
		dims:    []dimSpec{dimProject(), dimUser(), dimKey(), {name: "vector_store_id", filter: "vector_store_ids"}},
		metrics: []string{"num_requests"},
		maxRows: 10,
		combo: func(p *pools, r *rng) []string {
			return []string{r.pick(p.projects), r.pick(p.users), r.pick(p.keys), r.pick(p.stores)}
		},
		measure: func(c *rowCtx) []int64 { return []int64{requests(c.r, c.w)} },
	}
}

func webSearch() *family {
	levels := []string{"medium", "low", "high", "medium"}
	models := []string{"gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "gpt-5-2025-08-07"}
	return &family{
		name:   "web_search_calls",
		object: "organization.usage.web_searches.result",
		dims: []dimSpec{dimProject(), dimUser(), dimKey(), dimModel(),
			{name: "context_level", filter: "context_levels", enum: []string{"low", "medium", "high"}}},
		metrics: []string{"num_model_requests", "num_requests"},
		maxRows: 10,
		combo: func(p *pools, r *rng) []string {
			return []string{r.pick(p.projects), r.pick(p.users), r.pick(p.keys), r.pick(models), r.pick(levels)}
		},
		measure: func(c *rowCtx) []int64 {
			calls := requests(c.r, c.w)
			return []int64{c.r.between(1, calls), calls}
		},
	}
}
