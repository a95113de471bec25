package apispec

import (
	"bytes"
	"strings"
)

// dedupeRequired removes repeated names from every `required:` list of the
// YAML spec. JSON Schema requires the list's items to be unique, and the
// published spec repeats some (ContainerResource lists four properties
// twice), which makes the validator refuse to compile the schema at all.
// A repeated name means nothing more than the first, so this changes no
// constraint.
func dedupeRequired(raw []byte) []byte {
	lines := bytes.Split(raw, []byte("\n"))
	out := make([][]byte, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		out = append(out, lines[i])
		if strings.TrimSpace(string(lines[i])) != "required:" {
			continue
		}
		seen := map[string]bool{}
		for i+1 < len(lines) {
			item := strings.TrimSpace(string(lines[i+1]))
			if !strings.HasPrefix(item, "- ") {
				break
			}
			i++
			if !seen[item] {
				seen[item] = true
				out = append(out, lines[i])
			}
		}
	}
	return bytes.Join(out, []byte("\n"))
}
