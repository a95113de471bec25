package extractor

import (
	"encoding/json"
	"maps"
	"strconv"
	"strings"
)

// cursorMap is a stored cursor kept per part: per bucket width for usage and
// costs (a width read for the first time starts from --since, whatever the
// other widths reached), per project for children of finished parents (a
// project added to the configuration is read whole). It is stored as a JSON
// object of Unix seconds, {"1d":1730419200}. A plain number, as stored by
// earlier releases, is taken as the value of fallback.
type cursorMap map[string]int64

func parseCursorMap(s, fallback string) cursorMap {
	m := cursorMap{}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") {
		_ = json.Unmarshal([]byte(s), &m)
		return m
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil && fallback != "" {
		m[fallback] = v
	}
	return m
}

// with returns a copy with part set to v.
func (m cursorMap) with(part string, v int64) cursorMap {
	out := maps.Clone(m)
	if out == nil {
		out = cursorMap{}
	}
	out[part] = v
	return out
}

func (m cursorMap) String() string {
	b, _ := json.Marshal(map[string]int64(m))
	return string(b)
}
