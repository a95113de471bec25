package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Context carries values that are not in the item itself: a fan-out parent's
// id, a usage bucket's times. Values are raw JSON (`"proj_1"`, `1730419200`).
type Context map[string][]byte

// source is a compiled Column.Path.
type source struct {
	ctx    string // "@name"
	byType bool   // "{type}"
	alts   []step // "a.b|c": each alternative is a member of a node
}

// step is the last member of a path, looked up in an object node (-1: the
// item itself). id numbers the distinct steps of a table (-1: none).
type step struct {
	node int
	key  string
	id   int
}

// node is a nested object that some path goes through: the member key of
// its parent node (-1: the item). Each node is split at most once per item,
// however many columns read from it. Members of a node that no column took
// go to ExtraColumn.
type node struct {
	parent   int
	key      string
	leaves   map[string]int // members a column may read → step id
	children map[string]int // members that are nodes themselves
}

// compile turns a column's path into a source, adding the nested objects it
// walks to nodes and its steps to ids ("node\x00key" → id).
func compile(c Column, nodes *[]node, index, ids map[string]int) source {
	p := c.Path
	if p == "" {
		p = c.Name
	}
	switch {
	case strings.HasPrefix(p, "@"):
		return source{ctx: p[1:]}
	case p == "{type}":
		return source{byType: true}
	}
	var s source
	for _, alt := range strings.Split(p, "|") {
		segs := strings.Split(alt, ".")
		parent := -1
		for i := range segs[:len(segs)-1] {
			prefix := strings.Join(segs[:i+1], ".")
			idx, ok := index[prefix]
			if !ok {
				idx = len(*nodes)
				*nodes = append(*nodes, node{parent: parent, key: segs[i], leaves: map[string]int{}, children: map[string]int{}})
				index[prefix] = idx
				if parent >= 0 {
					(*nodes)[parent].children[segs[i]] = idx
				}
			}
			parent = idx
		}
		leaf := segs[len(segs)-1]
		name := fmt.Sprintf("%d\x00%s", parent, leaf)
		id, ok := ids[name]
		if !ok {
			id = len(ids)
			ids[name] = id
		}
		if parent >= 0 {
			(*nodes)[parent].leaves[leaf] = id
		}
		s.alts = append(s.alts, step{node: parent, key: leaf, id: id})
	}
	return s
}

type member struct {
	key []byte
	val []byte
}

// Builder converts API items of one table into an Arrow record batch. It is
// not safe for concurrent use. Release it when done.
type Builder struct {
	table   *Table
	sources []source
	nodes   []node
	leaves  map[string]int // top-level members a column may read → step id
	roots   map[string]int // top-level members that are nodes
	rb      *array.RecordBuilder
	members []member
	nested  [][]member // per node: its members for the current item
	split   []bool     // per node: nested[i] is filled for the current item
	extra   bytes.Buffer
	taken   []bool // per step id: a column took its value in the current item
	rows    int
	hint    struct {
		rows int   // of the batch before
		data []int // per field: the string bytes of the batch before
	}
	// Per node, index 0 for the item itself and i+1 for node i: add records
	// a member, scan splits the members that are nodes themselves in the
	// same pass (nil: none are).
	add  []func(key, val []byte) error
	scan []valueScanner
}

// NewBuilder returns a builder for table t that allocates from mem.
func NewBuilder(mem memory.Allocator, t *Table) *Builder {
	b := &Builder{table: t, leaves: map[string]int{}, roots: map[string]int{}, rb: array.NewRecordBuilder(mem, t.ArrowSchema())}
	index, ids := map[string]int{}, map[string]int{}
	for _, c := range t.Columns {
		s := compile(c, &b.nodes, index, ids)
		b.sources = append(b.sources, s)
		for _, alt := range s.alts {
			if alt.node == -1 {
				b.leaves[alt.key] = alt.id
			}
		}
	}
	b.taken = make([]bool, len(ids))
	for i, n := range b.nodes {
		if n.parent < 0 {
			b.roots[n.key] = i
		}
	}
	b.nested = make([][]member, len(b.nodes))
	b.split = make([]bool, len(b.nodes))
	b.add = make([]func(key, val []byte) error, len(b.nodes)+1)
	b.scan = make([]valueScanner, len(b.nodes)+1)
	b.add[0] = func(k, v []byte) error {
		b.members = append(b.members, member{k, v})
		return nil
	}
	b.scan[0] = b.splitter(b.roots)
	for i, n := range b.nodes {
		b.add[i+1] = func(k, v []byte) error {
			b.nested[i] = append(b.nested[i], member{k, v})
			return nil
		}
		b.scan[i+1] = b.splitter(n.children)
	}
	return b
}

// splitter returns the scanner that splits, while their parent is split,
// the members that are the nodes in children (by key), so that no object is
// read twice. A node's object that is malformed fails the item: its members
// could not all be read, and none may be lost.
func (b *Builder) splitter(children map[string]int) valueScanner {
	if len(children) == 0 {
		return nil
	}
	return func(key, buf []byte, i int) (int, bool, error) {
		c, ok := children[string(key)]
		if !ok || buf[i] != '{' || b.split[c] { // a repeated key: the first one counts, as in find
			return 0, false, nil
		}
		b.split[c] = true
		b.nested[c] = b.nested[c][:0]
		end, err := membersAt(buf, i, b.add[c+1], b.scan[c+1])
		return end, true, err
	}
}

// Len is the number of rows appended since the last NewRecordBatch.
func (b *Builder) Len() int { return b.rows }

// Release frees the builder's buffers.
func (b *Builder) Release() { b.rb.Release() }

// NewRecordBatch returns the rows appended so far and resets the builder,
// remembering the batch's rows and string bytes for the next one's reserve.
// The caller releases the batch.
func (b *Builder) NewRecordBatch() arrow.RecordBatch {
	b.hint.rows, b.hint.data = b.rows, b.hint.data[:0]
	for _, f := range b.rb.Fields() {
		n := 0
		if sb, ok := f.(*array.StringBuilder); ok {
			n = sb.DataLen()
		}
		b.hint.data = append(b.hint.data, n)
	}
	b.rows = 0
	return b.rb.NewRecordBatch()
}

// reserve makes room, before a batch's first row, for as many rows and
// string bytes as the batch before had: the buffers would otherwise double
// as they fill, each time copying what they hold into a new, zeroed one (a
// tenth of the conversion).
func (b *Builder) reserve() {
	if b.hint.rows == 0 {
		return
	}
	for i, f := range b.rb.Fields() {
		f.Reserve(b.hint.rows)
		if sb, ok := f.(*array.StringBuilder); ok {
			sb.ReserveData(b.hint.data[i])
		}
	}
}

// Append converts one API item (a JSON object) into a row. Nothing is
// dropped: every non-null member that no column took is kept in ExtraColumn
// at its own path (for a nested object that columns flatten, only its
// members they did not take): members no column declares, the alternatives a
// column did not use, and values whose type did not fit their column (which
// is left null).
func (b *Builder) Append(item []byte, ctx Context) error {
	if b.rows == 0 {
		b.reserve()
	}
	b.members = b.members[:0]
	clear(b.split)
	if err := members(item, b.add[0], b.scan[0]); err != nil {
		return fmt.Errorf("table %s: item: %w", b.table.Name, err)
	}
	b.extra.Reset()
	clear(b.taken)
	detailKey := ""
	for i, c := range b.table.Columns {
		v, key, at := b.lookup(b.sources[i], ctx)
		if key != "" {
			detailKey = key
		}
		switch err := appendValue(b.rb.Field(i), c.Kind, v); {
		case err == nil && at.id >= 0 && !IsNull(v):
			b.taken[at.id] = true
		case err != nil:
			b.rb.Field(i).AppendNull()
			if at.key == "" {
				b.addExtra(c.Name, v) // a context value; a member stays where it is
			}
		}
	}
	for _, m := range b.members {
		if string(m.key) == detailKey || b.took(b.leaves, m) {
			continue
		}
		if i, ok := b.roots[string(m.key)]; ok {
			mark := b.extra.Len()
			b.extraKey(m.key)
			if !b.remainder(i, m.val) {
				b.extra.Truncate(mark)
			}
			continue
		}
		b.extraKey(m.key)
		b.extra.Write(m.val)
	}
	eb := b.rb.Field(len(b.table.Columns)).(*array.StringBuilder)
	if b.extra.Len() == 0 {
		eb.AppendNull()
	} else {
		b.extra.WriteByte('}')
		eb.BinaryBuilder.Append(cleanJSON(b.extra.Bytes()))
	}
	b.rows++
	return nil
}

func (b *Builder) addExtra(key string, val []byte) {
	b.extraKey([]byte(key))
	b.extra.Write(val)
}

// extraKey starts a member of the ExtraColumn object.
func (b *Builder) extraKey(key []byte) {
	if b.extra.Len() == 0 {
		b.extra.WriteByte('{')
	} else {
		b.extra.WriteByte(',')
	}
	writeKey(&b.extra, key)
}

func writeKey(buf *bytes.Buffer, key []byte) {
	plain := true
	for _, c := range key {
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		buf.WriteByte('"')
		buf.Write(key)
		buf.WriteString(`":`)
		return
	}
	k, _ := json.Marshal(string(key))
	buf.Write(k)
	buf.WriteByte(':')
}

// remainder writes what columns do not read of node i, whose value is raw:
// an object of its unread members (nodes among them reduced the same way),
// or raw itself when it is not an object. It reports whether anything was
// written.
func (b *Builder) remainder(i int, raw []byte) bool {
	if IsNull(raw) {
		return false
	}
	members := b.membersOf(i)
	if raw[0] != '{' {
		b.extra.Write(raw)
		return true
	}
	n := b.nodes[i]
	start := b.extra.Len()
	b.extra.WriteByte('{')
	for _, m := range members {
		if b.took(n.leaves, m) {
			continue
		}
		mark := b.extra.Len()
		if mark > start+1 {
			b.extra.WriteByte(',')
		}
		writeKey(&b.extra, m.key)
		if j, ok := n.children[string(m.key)]; ok {
			if !b.remainder(j, m.val) {
				b.extra.Truncate(mark)
			}
			continue
		}
		b.extra.Write(m.val)
	}
	if b.extra.Len() == start+1 {
		b.extra.Truncate(start)
		return false
	}
	b.extra.WriteByte('}')
	return true
}

// Member returns the raw top-level member key of the item appended last (nil
// when it has none).
func (b *Builder) Member(key string) []byte { return b.top(key) }

func (b *Builder) top(key string) []byte { return find(b.members, key) }

func find(members []member, key string) []byte {
	for _, m := range members {
		if string(m.key) == key {
			return m.val
		}
	}
	return nil
}

// membersOf returns the members of node i of the current item (nil when the
// path is absent or not an object): Append splits every node that is an
// object as it reads the item.
func (b *Builder) membersOf(i int) []member {
	if !b.split[i] {
		return nil
	}
	return b.nested[i]
}

// lookup resolves a source; for "{type}" it also returns the member's name.
// at is where the value was found (a zero step for a context value).
func (b *Builder) lookup(s source, ctx Context) (v []byte, detail string, at step) {
	switch {
	case s.ctx != "":
		return ctx[s.ctx], "", step{id: -1}
	case s.byType:
		t, err := Str(b.top("type"))
		if err != nil {
			return nil, "", step{id: -1}
		}
		return b.top(t), t, step{node: -1, key: t, id: -1}
	}
	for _, alt := range s.alts {
		if alt.node < 0 {
			v = b.top(alt.key)
		} else {
			v = find(b.membersOf(alt.node), alt.key)
		}
		if !IsNull(v) {
			return v, "", alt
		}
	}
	return nil, "", step{id: -1}
}

// took reports whether member m of an object whose declared members are
// leaves needs no place in ExtraColumn: a column took its value, or it is a
// declared member and null.
func (b *Builder) took(leaves map[string]int, m member) bool {
	id, ok := leaves[string(m.key)]
	return ok && (b.taken[id] || IsNull(m.val))
}

func appendValue(fb array.Builder, k Kind, v []byte) error {
	if IsNull(v) {
		fb.AppendNull()
		return nil
	}
	switch k {
	case Int64:
		n, err := asInt64(v)
		if err != nil {
			return err
		}
		fb.(*array.Int64Builder).Append(n)
	case Float64:
		f, err := asFloat64(v)
		if err != nil {
			return err
		}
		fb.(*array.Float64Builder).Append(f)
	case Decimal:
		d, err := asDecimal(v)
		if err != nil {
			return err
		}
		fb.(*array.Decimal128Builder).Append(d)
	case Bool:
		x, err := asBool(v)
		if err != nil {
			return err
		}
		fb.(*array.BooleanBuilder).Append(x)
	case Timestamp:
		us, err := asMicros(v)
		if err != nil {
			return err
		}
		fb.(*array.TimestampBuilder).Append(arrow.Timestamp(us))
	case JSON:
		fb.(*array.StringBuilder).BinaryBuilder.Append(cleanJSON(v))
	default:
		if inner, ok := plainString(v); ok {
			fb.(*array.StringBuilder).BinaryBuilder.Append(inner) // no copy to a Go string
			return nil
		}
		s, err := asString(v)
		if err != nil {
			return err
		}
		fb.(*array.StringBuilder).Append(s)
	}
	return nil
}
