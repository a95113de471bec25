package schema

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var testTable = &Table{
	Name: "events",
	Columns: []Column{
		{Name: "id", Kind: String},
		{Name: "n", Kind: Int64},
		{Name: "f", Kind: Float64},
		{Name: "amount", Kind: Decimal, Path: "amount.value"},
		{Name: "ok", Kind: Bool},
		{Name: "at", Kind: Timestamp},
		{Name: "email", Kind: String, Path: "actor.session.user.email|actor.api_key.user.email"},
		{Name: "details", Kind: JSON, Path: "{type}"},
		{Name: "parent", Kind: String, Path: "@parent"},
		{Name: "type", Kind: String},
	},
	PrimaryKey: []string{"id"},
}

// testBuilder is a builder of testTable whose allocations the test's end
// checks are all released.
func testBuilder(t *testing.T) *Builder {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	b := NewBuilder(mem, testTable)
	t.Cleanup(b.Release)
	return b
}

func TestBuilderConvertsEveryKind(t *testing.T) {
	b := testBuilder(t)
	items := []string{
		`{"id":"e1","n":3,"f":1.5,"amount":{"value":0.13080438,"currency":"usd"},"ok":true,"at":1730419200,
		  "actor":{"type":"session","session":{"user":{"email":"a@x.com"}}},"type":"api_key.created",
		  "api_key.created":{"id":"key_1"},"brand_new":[1,2]}`,
		`{"id":"e2","n":"7","f":"2","amount":{"value":"0.13080438"},"ok":false,"at":"2024-11-01T00:00:00Z",
		  "actor":{"type":"api_key","api_key":{"user":{"email":"b@x.com"}}},"type":"x"}`,
		`{"id":"e3","n":"not a number","at":null}`,
	}
	for _, it := range items {
		if err := b.Append([]byte(it), Context{"parent": []byte(`"proj_1"`)}); err != nil {
			t.Fatal(err)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	col := func(name string) int { return rec.Schema().FieldIndices(name)[0] }
	if got := rec.Column(col("n")).(*array.Int64); got.Value(0) != 3 || got.Value(1) != 7 || !got.IsNull(2) {
		t.Errorf("int64 column: %v", got)
	}
	amt := rec.Column(col("amount")).(*array.Decimal128)
	if amt.Value(0) != amt.Value(1) || amt.Value(0) != decimal128.FromI64(130804380000000000) {
		t.Errorf("decimal: %s vs %s", amt.ValueStr(0), amt.ValueStr(1))
	}
	at := rec.Column(col("at")).(*array.Timestamp)
	if at.Value(0) != at.Value(1) || !at.IsNull(2) {
		t.Errorf("timestamps: %v", at)
	}
	email := rec.Column(col("email")).(*array.String)
	if email.Value(0) != "a@x.com" || email.Value(1) != "b@x.com" {
		t.Errorf("alternatives: %v", email)
	}
	details := rec.Column(col("details")).(*array.String)
	if details.Value(0) != `{"id":"key_1"}` || !details.IsNull(1) {
		t.Errorf("details: %v", details)
	}
	if p := rec.Column(col("parent")).(*array.String); p.Value(2) != "proj_1" {
		t.Errorf("context column: %v", p)
	}
	extra := rec.Column(col(ExtraColumn)).(*array.String)
	var x0, x2 map[string]any
	if err := json.Unmarshal([]byte(extra.Value(0)), &x0); err != nil {
		t.Fatal(err)
	}
	if _, ok := x0["brand_new"]; !ok {
		t.Errorf("unknown member not kept: %s", extra.Value(0))
	}
	if _, ok := x0["api_key.created"]; ok {
		t.Errorf("the detail object is in details, not repeated in _extra: %s", extra.Value(0))
	}
	if err := json.Unmarshal([]byte(extra.Value(2)), &x2); err != nil || x2["n"] != "not a number" {
		t.Errorf("a value of the wrong type is kept in _extra: %s", extra.Value(2))
	}
}

func TestExtraKeepsExactlyWhatNoColumnReads(t *testing.T) {
	b := testBuilder(t)
	cases := []struct{ item, extra string }{
		{`{"id":"a","actor":{"type":"session","session":{"user":{"email":"a@x.com","id":"u1"},"ja3":"x"}},"amount":{"value":1,"currency":"usd"}}`,
			`{"actor":{"type":"session","session":{"user":{"id":"u1"},"ja3":"x"}},"amount":{"currency":"usd"}}`},
		{`{"id":"b","actor":{"session":{"user":{"email":"b@x.com"}}},"amount":{"value":2}}`, ``},
		{`{"id":"e","n":"many","at":"soon","amount":{"value":"?","currency":"eur"}}`, `{"n":"many","at":"soon","amount":{"value":"?","currency":"eur"}}`},
		{`{"id":"f","actor":{"session":{"user":{"email":"s@x"}},"api_key":{"user":{"email":"k@x"}}}}`,
			`{"actor":{"api_key":{"user":{"email":"k@x"}}}}`}, // the alternative the column did not use
		{`{"id":"g","n":null,"actor":{"session":{"user":{"email":null}},"api_key":{"user":{"email":"k@x"}}}}`, ``},
		{`{"id":"c","actor":"weird","amount":null,"new":{"k":[1]}}`, `{"actor":"weird","new":{"k":[1]}}`},
		{`{"id":"d","actor":{"api_key":{"user":["not","an","object"]}},"amount":{"value":"x"}}`,
			`{"actor":{"api_key":{"user":["not","an","object"]}},"amount":{"value":"x"}}`},
	}
	for _, c := range cases {
		if err := b.Append([]byte(c.item), nil); err != nil {
			t.Fatal(err)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	extra := rec.Column(rec.Schema().FieldIndices(ExtraColumn)[0]).(*array.String)
	for i, c := range cases {
		got := extra.Value(i)
		if extra.IsNull(i) {
			got = ""
		}
		if got != c.extra {
			t.Errorf("item %s:\n _extra %s\n want   %s", c.item, got, c.extra)
		}
	}
}

func TestDecimalIsExactForNumbersAndStrings(t *testing.T) {
	for _, pair := range [][2]string{{`12.5`, `"12.50"`}, {`0.000000000000000001`, `"1e-18"`}, {`-3`, `"-3.000"`}} {
		a, err1 := asDecimal([]byte(pair[0]))
		b, err2 := asDecimal([]byte(pair[1]))
		if err1 != nil || err2 != nil || a != b {
			t.Errorf("%s vs %s: %v %v %v %v", pair[0], pair[1], a, b, err1, err2)
		}
	}
}

// A decimal column reads JSON numbers (and strings holding one) up to its
// precision, and nothing else big.Rat would read.
func TestDecimalReadsNumbersUpToItsPrecisionOnly(t *testing.T) {
	for _, ok := range []string{`50000000000000000000`, `"99999999999999999999.999999999999999999"`, `-1.5e3`, `0`, `1e-1000`} {
		if _, err := asDecimal([]byte(ok)); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{`"1/3"`, `"0x10"`, `"1e1000000000"`, `"+1"`, `".5"`, `"1_000"`, `100000000000000000000`, `"NaN"`} {
		if d, err := asDecimal([]byte(bad)); err == nil {
			t.Errorf("%s: read as %v, want an error", bad, d)
		}
	}
}

func TestValidateRejectsBadDeclarations(t *testing.T) {
	bad := []*Table{
		{Name: "t", Columns: []Column{{Name: "id"}, {Name: "id"}}, PrimaryKey: []string{"id"}},
		{Name: "t", Columns: []Column{{Name: "id"}}, PrimaryKey: []string{"nope"}},
		{Name: "t", Columns: []Column{{Name: "_extra"}}, PrimaryKey: []string{"_extra"}},
	}
	for i, tb := range bad {
		if tb.Validate() == nil {
			t.Errorf("table %d accepted", i)
		}
	}
	if err := testTable.Validate(); err != nil {
		t.Fatal(err)
	}
}

// Nested objects that columns read are split as the item is read. A
// repeated member counts once, the first (as for top-level members); a
// nested object that is malformed fails the item, where it used to be
// dropped from _extra without a word.
func TestNestedObjectsAreReadOnceAndAMalformedOneFailsTheItem(t *testing.T) {
	b := testBuilder(t)
	good := `{"id":"r","actor":{"session":{"user":{"email":"first@x"}},"session":{"user":{"email":"second@x"}}}}`
	if err := b.Append([]byte(good), nil); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		`{"id":"m1","actor":{"session":{"user":{"email" "a@x"}}}}`,
		`{"id":"m2","actor":{"session":{"user":{"email":"a@x",}}}}`,
		`{"id":"m3","amount":{"value":1 "currency":"usd"}}`,
	} {
		if err := b.Append([]byte(bad), nil); err == nil || !strings.Contains(err.Error(), "malformed") {
			t.Errorf("%s: error %v, want malformed JSON", bad, err)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	if rec.NumRows() != 1 {
		t.Fatalf("%d rows, want only the well-formed item", rec.NumRows())
	}
	email := rec.Column(rec.Schema().FieldIndices("email")[0]).(*array.String)
	if email.Value(0) != "first@x" {
		t.Errorf("email %q, want the first of a repeated member", email.Value(0))
	}
}

// A time no timestamp column can hold (not a number, infinite, past the
// year 9999, microseconds that would overflow) is null in its column and
// kept in _extra, never a wrapped-around date.
func TestATimeOutOfRangeIsNullAndKeptInExtra(t *testing.T) {
	b := testBuilder(t)
	values := []string{`"NaN"`, `"Infinity"`, `-1e300`, `1e300`, `20000000000000`, `253402300800`}
	for i, v := range values {
		if err := b.Append([]byte(fmt.Sprintf(`{"id":"%d","at":%s}`, i, v)), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Append([]byte(`{"id":"ok","at":253402300799}`), nil); err != nil {
		t.Fatal(err)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	at := rec.Column(rec.Schema().FieldIndices("at")[0]).(*array.Timestamp)
	extra := rec.Column(rec.Schema().FieldIndices(ExtraColumn)[0]).(*array.String)
	for i, v := range values {
		if !at.IsNull(i) || extra.Value(i) != `{"at":`+v+`}` {
			t.Errorf("at %s: column %v, _extra %q; want null and the value in _extra", v, at.ValueStr(i), extra.Value(i))
		}
	}
	if last := len(values); at.IsNull(last) {
		t.Error("the last second of the year 9999 is a time")
	}
}

// TestABatchAfterTheFirstHasRoomForOneLikeIt checks that once a batch is
// built, the next one starts with room for as many rows and string bytes,
// and that every batch still holds exactly its own rows, whether it is
// smaller or larger than the one before.
func TestABatchAfterTheFirstHasRoomForOneLikeIt(t *testing.T) {
	b := testBuilder(t)
	item := func(i int) []byte {
		return []byte(fmt.Sprintf(`{"id":"event-%03d","type":"t","t":{"n":%d}}`, i, i))
	}
	next := 0
	for _, rows := range []int{40, 3, 70} {
		for range rows {
			if err := b.Append(item(next), nil); err != nil {
				t.Fatal(err)
			}
			next++
		}
		rec := b.NewRecordBatch()
		ids := rec.Column(0).(*array.String)
		if ids.Len() != rows || ids.Value(0) != fmt.Sprintf("event-%03d", next-rows) || ids.Value(rows-1) != fmt.Sprintf("event-%03d", next-1) {
			t.Fatalf("batch of %d rows: %d ids, %q … %q", rows, ids.Len(), ids.Value(0), ids.Value(ids.Len()-1))
		}
		rec.Release()
	}
	// After the 70-row batch, the first row of the next reserves room for 70.
	if err := b.Append(item(next), nil); err != nil {
		t.Fatal(err)
	}
	id := b.rb.Field(0).(*array.StringBuilder)
	if id.Cap() < 70 || id.DataCap() < 70*len("event-000") {
		t.Fatalf("room for %d rows and %d bytes of ids, want at least 70 and %d", id.Cap(), id.DataCap(), 70*len("event-000"))
	}
	b.NewRecordBatch().Release()
}
