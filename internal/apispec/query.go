package apispec

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// CheckQuery reports query parameters of a request the operation at method and path (with or
// without the /v1 prefix) does not accept:
//
//   - a name the operation does not declare;
//   - a declared name sent more than once when its schema is not an array;
//   - `x[k]` (deepObject) unless x is a declared object parameter with property k, and `x`
//     sent bare when x is such an object (the audit log's `effective_at[gte]`);
//   - a value that is not of the declared type (integer, number, boolean), not in the
//     declared enum, or outside a declared minimum/maximum; array items are checked against
//     the item schema;
//   - a required parameter that is missing.
//
// A declared name that itself ends in "[]" (the audit log's `project_ids[]`) is matched
// literally, like any other name.
func (s *Spec) CheckQuery(method, path string, q url.Values) []error {
	u, err := url.Parse(path)
	if err != nil {
		u = &url.URL{Path: path}
	}
	req := &http.Request{Method: method, URL: &url.URL{Path: u.Path}, Header: http.Header{}}
	e := newExchange(req)
	s.checkQuery(e, q)
	return e.errors()
}

func (s *Spec) checkQuery(e *exchange, q url.Values) {
	route := s.resolve(e)
	if route == nil {
		return
	}
	declared := queryParams(route.PathItem, route.Operation)

	seen := map[string]bool{}
	for _, key := range sortedKeys(q) {
		values := q[key]
		if p, ok := declared[key]; ok {
			seen[key] = true
			checkParam(e, p, key, values)
			continue
		}
		if base, prop, ok := deepObjectKey(key); ok {
			if p, ok := declared[base]; ok && isObject(schemaOf(p)) {
				seen[base] = true
				checkProperty(e, p, key, prop, values)
				continue
			}
		}
		e.add(KindQuery, "undeclared query parameter %q (declared: %s)", key, names(declared))
	}
	for _, name := range sortedKeys(declared) {
		if p := declared[name]; p.Required != nil && *p.Required && !seen[name] {
			e.add(KindQuery, "required query parameter %q is missing", name)
		}
	}
}

// queryParams returns the operation's query parameters by name; operation-level parameters
// override path-level ones, as OpenAPI specifies.
func queryParams(item *v3.PathItem, op *v3.Operation) map[string]*v3.Parameter {
	out := map[string]*v3.Parameter{}
	for _, list := range [][]*v3.Parameter{item.Parameters, op.Parameters} {
		for _, p := range list {
			if p != nil && p.In == "query" {
				out[p.Name] = p
			}
		}
	}
	return out
}

var deepObjectPattern = regexp.MustCompile(`^([^\[\]]+)\[([^\[\]]+)\]$`)

// deepObjectKey splits "effective_at[gte]" into "effective_at" and "gte".
func deepObjectKey(key string) (name, prop string, ok bool) {
	m := deepObjectPattern.FindStringSubmatch(key)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

func checkParam(e *exchange, p *v3.Parameter, key string, values []string) {
	schema := schemaOf(p)
	switch {
	case isObject(schema):
		e.add(KindQuery, "object parameter %q must be sent as %s[<property>] (properties: %s)",
			key, key, strings.Join(propertyNames(schema), ", "))
	case isArray(schema):
		items := itemsOf(schema)
		for _, v := range values {
			if problem := checkScalar(items, v); problem != "" {
				e.add(KindQuery, "%s=%q: %s", key, v, problem)
			}
		}
	default:
		if len(values) > 1 {
			e.add(KindQuery, "%q sent %d times but is not an array parameter", key, len(values))
		}
		for _, v := range values {
			if problem := checkScalar(schema, v); problem != "" {
				e.add(KindQuery, "%s=%q: %s", key, v, problem)
			}
		}
	}
}

func checkProperty(e *exchange, p *v3.Parameter, key, prop string, values []string) {
	schema := schemaOf(p)
	proxy := schema.Properties.GetOrZero(prop)
	if proxy == nil {
		e.add(KindQuery, "%q: %q is not a property of %s (properties: %s)",
			key, prop, p.Name, strings.Join(propertyNames(schema), ", "))
		return
	}
	if len(values) > 1 {
		e.add(KindQuery, "%q sent %d times", key, len(values))
	}
	for _, v := range values {
		if problem := checkScalar(proxy.Schema(), v); problem != "" {
			e.add(KindQuery, "%s=%q: %s", key, v, problem)
		}
	}
}

// checkScalar checks one query value against a scalar schema and returns the problem, or "".
// Constructs it cannot judge from a string (objects, arrays, $ref cycles) pass.
func checkScalar(s *base.Schema, v string) string {
	if s == nil {
		return ""
	}
	for _, sub := range s.AllOf {
		if problem := checkScalar(sub.Schema(), v); problem != "" {
			return problem
		}
	}
	if alts := append(slices.Clone(s.AnyOf), s.OneOf...); len(alts) > 0 {
		var problems []string
		for _, alt := range alts {
			problem := checkScalar(alt.Schema(), v)
			if problem == "" {
				problems = nil
				break
			}
			problems = append(problems, problem)
		}
		if problems != nil {
			return "matches no alternative: " + strings.Join(problems, "; ")
		}
	}
	if len(s.Type) > 0 && !slices.ContainsFunc(s.Type, func(t string) bool { return scalarIs(t, v) }) {
		return "not " + strings.Join(s.Type, " or ")
	}
	if len(s.Enum) > 0 {
		allowed := make([]string, 0, len(s.Enum))
		for _, n := range s.Enum {
			if n != nil {
				allowed = append(allowed, n.Value)
			}
		}
		if !slices.Contains(allowed, v) {
			return "not one of " + abbreviate(allowed)
		}
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if s.Minimum != nil && f < *s.Minimum {
			return fmt.Sprintf("below minimum %v", *s.Minimum)
		}
		if s.Maximum != nil && f > *s.Maximum {
			return fmt.Sprintf("above maximum %v", *s.Maximum)
		}
	}
	return ""
}

// abbreviate lists up to eight values; the audit log's event type enum has over a hundred.
func abbreviate(values []string) string {
	const max = 8
	if len(values) <= max {
		return strings.Join(values, ", ")
	}
	return fmt.Sprintf("%s, … (%d values)", strings.Join(values[:max], ", "), len(values))
}

func scalarIs(typ, v string) bool {
	switch typ {
	case "integer":
		_, err := strconv.ParseInt(v, 10, 64)
		return err == nil
	case "number":
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case "boolean":
		return v == "true" || v == "false"
	case "string":
		return true
	default: // "null", "array", "object": a single query value is none of these
		return false
	}
}

func schemaOf(p *v3.Parameter) *base.Schema {
	if p == nil || p.Schema == nil {
		return nil
	}
	return p.Schema.Schema()
}

func isObject(s *base.Schema) bool {
	return s != nil && slices.Contains(s.Type, "object") && s.Properties != nil && s.Properties.Len() > 0
}

func isArray(s *base.Schema) bool { return s != nil && slices.Contains(s.Type, "array") }

func itemsOf(s *base.Schema) *base.Schema {
	if s.Items == nil || !s.Items.IsA() || s.Items.A == nil {
		return nil
	}
	return s.Items.A.Schema()
}

func propertyNames(s *base.Schema) []string {
	var out []string
	for pair := s.Properties.First(); pair != nil; pair = pair.Next() {
		out = append(out, pair.Key())
	}
	return out
}

func names(declared map[string]*v3.Parameter) string {
	if len(declared) == 0 {
		return "none"
	}
	return strings.Join(sortedKeys(declared), ", ")
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
