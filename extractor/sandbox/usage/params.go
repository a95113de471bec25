package usage

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// request is a parsed, validated query.
type request struct {
	from, end int64 // [from, end): from is start_time or the page token's start
	w         width
	limit     int
	group     []bool                  // by dims index
	filters   map[int]map[string]bool // by dims index: allowed values
}

// apiError is a 4xx in OpenAI's envelope.
type apiError struct {
	status  int
	message string
	param   string // "" = null
}

func badParam(param, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, message: fmt.Sprintf(format, args...), param: param}
}

// list reads an array parameter in any of the encodings clients use:
// repeated `k=a&k=b`, brackets `k[]=a`, and comma-joined `k=a,b`.
func list(q url.Values, name string) []string {
	var out []string
	for _, v := range append(slices.Clone(q[name]), q[name+"[]"]...) {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func intParam(q url.Values, name string) (int64, bool, *apiError) {
	v := q.Get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, badParam(name, "Invalid value for '%s': expected an integer, got %q.", name, v)
	}
	return n, true, nil
}

func parseRequest(f *family, q url.Values, now int64) (request, *apiError) {
	var req request
	start, ok, e := intParam(q, "start_time")
	if e != nil {
		return req, e
	}
	if !ok {
		return req, badParam("start_time", "Missing required parameter: 'start_time'.")
	}
	if start < 0 {
		return req, badParam("start_time", "Invalid value for 'start_time': must be a non-negative Unix time in seconds.")
	}
	end, hasEnd, e := intParam(q, "end_time")
	if e != nil {
		return req, e
	}
	if hasEnd && end <= start {
		return req, badParam("end_time", "Invalid value for 'end_time': must be greater than 'start_time'.")
	}

	wname := q.Get("bucket_width")
	if wname == "" {
		wname = "1d"
	}
	w, ok := f.widths[wname]
	if !ok {
		return req, badParam("bucket_width", "Invalid value for 'bucket_width': %q is not supported for this endpoint.", wname)
	}
	req.w = w
	if !hasEnd {
		// Up to now; the open bucket keeps its boundary end_time.
		end = max(floorTo(now, w.secs)+w.secs, start)
	}
	req.from, req.end = start, end

	limit, ok, e := intParam(q, "limit")
	if e != nil {
		return req, e
	}
	req.limit = w.defLimit
	if ok {
		if limit < 1 || limit > int64(w.maxLimit) {
			return req, badParam("limit", "Invalid value for 'limit': must be between 1 and %d for bucket_width=%s.", w.maxLimit, w.name)
		}
		req.limit = int(limit)
	}
	if e := parseGroupBy(f, q, &req); e != nil {
		return req, e
	}
	if e := parseFilters(f, q, &req); e != nil {
		return req, e
	}
	if tok := q.Get("page"); tok != "" {
		from, ok := decodePage(tok)
		if !ok {
			return req, badParam("page", "Invalid value for 'page': %q is not a valid page token.", tok)
		}
		req.from = from
	}
	return req, nil
}

func parseGroupBy(f *family, q url.Values, req *request) *apiError {
	req.group = make([]bool, len(f.dims))
	for _, g := range list(q, "group_by") {
		i := slices.IndexFunc(f.dims, func(d dimSpec) bool { return d.name == g })
		if i < 0 {
			return badParam("group_by", "Invalid value for 'group_by': %q is not one of %s.", g, strings.Join(dimNames(f), ", "))
		}
		req.group[i] = true
	}
	return nil
}

func dimNames(f *family) []string {
	names := make([]string, len(f.dims))
	for i, d := range f.dims {
		names[i] = d.name
	}
	return names
}

func parseFilters(f *family, q url.Values, req *request) *apiError {
	req.filters = map[int]map[string]bool{}
	for i, d := range f.dims {
		if d.filter == "" {
			continue
		}
		var vals []string
		if d.isBool {
			v := q.Get(d.filter)
			if v == "" {
				continue
			}
			b, err := strconv.ParseBool(v)
			if err != nil {
				return badParam(d.filter, "Invalid value for '%s': expected a boolean, got %q.", d.filter, v)
			}
			vals = []string{strconv.FormatBool(b)}
		} else {
			vals = list(q, d.filter)
		}
		if len(vals) == 0 {
			continue
		}
		set := map[string]bool{}
		for _, v := range vals {
			if d.enum != nil && !slices.Contains(d.enum, v) {
				return badParam(d.filter, "Invalid value for '%s': %q is not one of %s.", d.filter, v, strings.Join(d.enum, ", "))
			}
			set[v] = true
		}
		req.filters[i] = set
	}
	return nil
}

// encodePage makes the opaque next_page token for a bucket start.
func encodePage(start int64) string {
	b := binary.BigEndian.AppendUint64(nil, uint64(start))
	b = binary.BigEndian.AppendUint32(b, checksum(b))
	return "page_" + base64.StdEncoding.EncodeToString(b)
}

func decodePage(tok string) (int64, bool) {
	raw, ok := strings.CutPrefix(tok, "page_")
	if !ok {
		return 0, false
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(b) != 12 || binary.BigEndian.Uint32(b[8:]) != checksum(b[:8]) {
		return 0, false
	}
	start := int64(binary.BigEndian.Uint64(b))
	return start, start >= 0
}

func checksum(b []byte) uint32 {
	h := fnv.New32a()
	h.Write(b)
	return h.Sum32()
}
