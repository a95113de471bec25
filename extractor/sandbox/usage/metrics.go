package usage

import "strings"

// volume is the most requests one fine-grain row makes in a full bucket. With
// rowCount it makes a day of minutes or hours roughly as busy as a 1d bucket
// (each width is generated on its own, so they agree only roughly).
func volume(w width) int64 {
	switch w.name {
	case "1m":
		return 25
	case "1h":
		return 450
	default:
		return 2000
	}
}

// requests draws a request count for one row.
func requests(r *rng, w width) int64 { return r.between(1, volume(w)) }

// rowCount draws how many fine-grain rows a bucket has: 0–maxRows a day with
// some empty days, fewer an hour, and mostly none or one or two a minute.
func rowCount(r *rng, w width, maxRows int) int {
	switch w.name {
	case "1m":
		if r.pct(60) {
			return 0
		}
		return 1 + r.intn(2)
	case "1h":
		if r.pct(30) {
			return 0
		}
		return 1 + r.intn(max(1, maxRows/5))
	default:
		if r.pct(12) {
			return 0
		}
		return 1 + r.intn(maxRows)
	}
}

// measureTokens measures a family with one volume metric and
// num_model_requests: lo–hi units per request.
func measureTokens(lo, hi int64) func(c *rowCtx) []int64 {
	return func(c *rowCtx) []int64 {
		n := requests(c.r, c.w)
		return []int64{n * c.r.between(lo, hi), n}
	}
}

func measureImages(c *rowCtx) []int64 {
	n := requests(c.r, c.w)
	return []int64{n + c.r.between(0, n), n}
}

// measureStoreBytes is a level: a per-project base that drifts a little from
// bucket to bucket.
func measureStoreBytes(c *rowCtx) []int64 {
	base := newRNG(c.seed, "store-bytes", c.dims[0]).between(1<<20, 20<<30)
	return []int64{base + c.r.between(0, base/50)}
}

// measureCompletions splits input and output tokens into the spec's
// modalities so that the totals add up: input = cache write + uncached +
// cached; uncached = text + audio + image; cached likewise; output likewise.
func measureCompletions(c *rowCtx) []int64 {
	r := c.r
	n := requests(r, c.w)
	input := n * r.between(200, 4000)
	output := n * r.between(30, 900)
	cached := input * r.between(0, 60) / 100
	write := input * r.between(0, 8) / 100
	uncached := input - cached - write

	var audioPct, imagePct, outImagePct int64
	if strings.Contains(c.dims[3], "audio") {
		audioPct = r.between(30, 80)
	}
	if audioPct == 0 && r.pct(30) {
		imagePct = r.between(1, 25)
	}
	if audioPct == 0 && r.pct(10) {
		outImagePct = r.between(1, 30)
	}
	m := make([]int64, 15)
	m[2] = write
	m[8] = uncached * audioPct / 100
	m[11] = uncached * imagePct / 100
	m[5] = uncached - m[8] - m[11]
	m[9] = cached * audioPct / 100
	m[12] = cached * imagePct / 100
	m[7] = cached - m[9] - m[12]
	m[10] = output * audioPct / 100
	m[13] = output * outImagePct / 100
	m[6] = output - m[10] - m[13]
	m[14] = n
	return m
}
