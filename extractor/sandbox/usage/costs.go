package usage

import (
	"encoding/json"
	"math/big"
	"strings"
)

// Costs metrics: amount in pico-USD (12 decimal places) and quantity in
// 1e-4 units (4 decimal places). amount = quantity × the line item's price, so
// every amount is exact.
const (
	costAmount     = 0
	costQuantity   = 1
	amountPlaces   = 12
	quantityPlaces = 4
	unitUlps       = 10000 // quantity ulps in one whole unit
)

// lineItem is one billable line with its price.
type lineItem struct {
	name   string
	unit   string // quantity_unit ("" = null)
	step   int64  // quantity moves in steps of this many ulps
	price  int64  // pico-USD per quantity ulp
	perKey bool   // billed per API key (else api_key_id is null)
	lo, hi int64  // daily quantity range, in steps
}

func lineItems() []lineItem {
	tok := func(name string, perMillionCents int64, lo, hi int64) lineItem {
		// $x per 1M tokens = x·1e6 pico per token = x·100 pico per ulp
		return lineItem{name: name, unit: "tokens", step: unitUlps, price: perMillionCents, perKey: true, lo: lo, hi: hi}
	}
	return []lineItem{
		tok("gpt-4o-2024-08-06, input", 250, 10_000, 20_000_000),
		tok("gpt-4o-2024-08-06, output", 1000, 1_000, 4_000_000),
		tok("gpt-4o-2024-08-06, cached input", 125, 1_000, 8_000_000),
		tok("gpt-4o-mini-2024-07-18, input", 15, 10_000, 50_000_000),
		tok("gpt-4o-mini-2024-07-18, output", 60, 1_000, 10_000_000),
		tok("gpt-4.1-2025-04-14, input", 200, 10_000, 20_000_000),
		tok("gpt-4.1-2025-04-14, output", 800, 1_000, 4_000_000),
		tok("gpt-5-2025-08-07, input", 125, 10_000, 20_000_000),
		tok("gpt-5-2025-08-07, output", 1000, 1_000, 6_000_000),
		tok("text-embedding-3-small", 2, 1_000, 30_000_000),
		{name: "tts-1", unit: "characters", step: unitUlps, price: 1500, perKey: true, lo: 100, hi: 500_000},
		{name: "whisper-1", unit: "duration_seconds", step: unitUlps, price: 10_000, perKey: true, lo: 10, hi: 40_000},
		{name: "dall-e-3, 1024x1024", unit: "images", step: unitUlps, price: 4_000_000, perKey: true, lo: 1, hi: 300},
		{name: "web search tool calls", step: unitUlps, price: 1_000_000, perKey: true, lo: 1, hi: 2_000},
		{name: "file search tool calls", step: unitUlps, price: 250_000, perKey: true, lo: 1, hi: 3_000},
		{name: "code interpreter sessions", step: unitUlps, price: 3_000_000, perKey: true, lo: 1, hi: 200},
		{name: "vector store storage", unit: "gibibyte_hours", step: 1, price: 416_667, lo: 100, hi: 5_000_000},
	}
}

func costsFamily() *family {
	items := map[string]lineItem{}
	all := lineItems()
	names := make([]string, len(all))
	for i, li := range all {
		items[li.name] = li
		names[i] = li.name
	}
	return &family{
		name:    "costs",
		path:    "/organization/costs",
		object:  "organization.costs.result",
		dims:    []dimSpec{dimProject(), {name: "line_item"}, dimKey()},
		metrics: []string{"amount.value", "quantity"},
		widths:  map[string]width{"1d": {name: "1d", secs: 86400, defLimit: 7, maxLimit: 180}},
		maxRows: 25,
		costs:   true,
		items:   items,
		combo: func(p *pools, r *rng) []string {
			li := items[r.pick(names)]
			key := ""
			if li.perKey {
				key = r.pick(p.keys)
			}
			return []string{r.pick(p.projects), li.name, key}
		},
		measure: func(c *rowCtx) []int64 {
			li := items[c.dims[1]]
			return []int64{0, c.r.between(li.lo, li.hi) * li.step}
		},
		derive: func(r *row) { r.m[costAmount] = r.m[costQuantity] * items[r.dims[1]].price },
		step:   func(dims []string) int64 { return items[dims[1]].step },
	}
}

// costJSON renders one costs result. quantity and quantity_unit are only set
// when the results are grouped by line_item.
func (s *Server) costJSON(f *family, r row, stringAmounts bool) ordered {
	var value any = json.Number(decimal(r.m[costAmount], amountPlaces, true))
	if stringAmounts {
		value = decimal(r.m[costAmount], amountPlaces, false)
	}
	var quantity, unit any
	if li := r.dims[1]; li != "" {
		quantity = json.Number(decimal(r.m[costQuantity], quantityPlaces, true))
		if u := f.items[li].unit; u != "" {
			unit = u
		}
	}
	return ordered{
		{"object", f.object},
		{"amount", ordered{{"value", value}, {"currency", "usd"}}},
		{"line_item", nullable(r.dims[1])},
		{"project_id", nullable(r.dims[0])},
		{"api_key_id", nullable(r.dims[2])},
		{"quantity", quantity},
		{"quantity_unit", unit},
	}
}

// costRat is the exact value of costs metric i.
func costRat(i int, v int64) *big.Rat {
	places := quantityPlaces
	if i == costAmount {
		places = amountPlaces
	}
	return new(big.Rat).SetFrac(big.NewInt(v), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
}

// decimal formats v·10^-places. trim drops trailing zeros (and a bare point);
// otherwise all places are kept, like "12.340000000000".
func decimal(v int64, places int, trim bool) string {
	sign := ""
	u := uint64(v)
	if v < 0 {
		sign, u = "-", uint64(-v)
	}
	digits := new(big.Int).SetUint64(u).String()
	if len(digits) <= places {
		digits = strings.Repeat("0", places-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-places], digits[len(digits)-places:]
	if trim {
		frac = strings.TrimRight(frac, "0")
	}
	if frac == "" {
		return sign + whole
	}
	return sign + whole + "." + frac
}
