package usage

import (
	"bytes"
	"encoding/json"
)

// ordered is a JSON object that keeps its fields in the order given, so that
// results read like the spec's examples.
type ordered []field

type field struct {
	k string
	v any
}

func (o ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(f.k)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// nullable maps the empty string (a dimension not grouped on) to JSON null.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
