package usage

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestStringAmountsSumToTheSameRat(t *testing.T) {
	s := newTestServer()
	start, end := testWindow("1d")
	q := window(start, end, "1d")
	q["group_by"] = allDims(s, "costs")
	numeric := walk(t, s, "costs", q)
	s.SetStringAmounts(true)
	stringy := walk(t, s, "costs", q)
	s.SetStringAmounts(false)

	fixed := regexp.MustCompile(`^[0-9]+\.[0-9]{12}$`)
	many := 0
	for _, b := range stringy {
		for _, r := range b.Results {
			v, ok := r["amount"].(map[string]any)["value"].(string)
			if !ok || !fixed.MatchString(v) {
				t.Fatalf("string amount %#v", r["amount"])
			}
		}
	}
	for _, b := range numeric {
		for _, r := range b.Results {
			v, ok := r["amount"].(map[string]any)["value"].(json.Number)
			if !ok {
				t.Fatalf("numeric amount %#v", r["amount"])
			}
			if _, frac, _ := strings.Cut(v.String(), "."); len(frac) >= 8 {
				many++
			}
			if r["amount"].(map[string]any)["currency"] != "usd" {
				t.Fatalf("currency %v", r["amount"])
			}
		}
	}
	if many == 0 {
		t.Error("no amount has 8 or more decimal places")
	}
	a, b := sumBuckets(t, s, "costs", numeric), sumBuckets(t, s, "costs", stringy)
	if !equalTotals(a, b) || !equalTotals(a, s.Totals("costs", "1d", start, end)) {
		t.Errorf("numeric %v, string %v", a, b)
	}

	o := testOptions()
	o.StringAmounts = true
	p := getPage(t, New(o), "costs", q)
	if _, ok := p.Data[0].Results[0]["amount"].(map[string]any)["value"].(string); !ok {
		t.Error("Options.StringAmounts not honoured")
	}
}

func TestCostsQuantityOnlyPerLineItem(t *testing.T) {
	s := newTestServer()
	start, end := testWindow("1d")
	for _, g := range []string{"project_id", "api_key_id", "line_item"} {
		q := window(start, end, "1d")
		q.Set("group_by", g)
		units := map[any]bool{}
		for _, b := range walk(t, s, "costs", q) {
			for _, r := range b.Results {
				if g != "line_item" && (r["quantity"] != nil || r["quantity_unit"] != nil) {
					t.Fatalf("group_by=%s: quantity %v %v", g, r["quantity"], r["quantity_unit"])
				}
				if g == "line_item" {
					if r["quantity"] == nil {
						t.Fatalf("group_by=line_item: no quantity: %v", r)
					}
					units[r["quantity_unit"]] = true
				}
			}
		}
		if g == "line_item" && (!units[nil] || !units["tokens"] || len(units) < 4) {
			t.Errorf("quantity units seen: %v", units)
		}
	}
}

func TestDecimal(t *testing.T) {
	cases := []struct {
		v      int64
		places int
		trim   bool
		want   string
	}{
		{130804380000, 12, true, "0.13080438"},
		{130804380000, 12, false, "0.130804380000"},
		{12_340000000000, 12, true, "12.34"},
		{0, 12, true, "0"},
		{0, 4, false, "0.0000"},
		{5, 4, true, "0.0005"},
		{-15, 1, true, "-1.5"},
		{70000, 4, true, "7"},
	}
	for _, c := range cases {
		if got := decimal(c.v, c.places, c.trim); got != c.want {
			t.Errorf("decimal(%d, %d, %v) = %q, want %q", c.v, c.places, c.trim, got, c.want)
		}
	}
}
