package duckdb

/*
#include <stdint.h>
#include <stdlib.h>

// The Arrow C data and stream interfaces, as the Arrow specification defines
// them (https://arrow.apache.org/docs/format/CDataInterface.html).
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
struct ArrowSchema {
	const char *format;
	const char *name;
	const char *metadata;
	int64_t flags;
	int64_t n_children;
	struct ArrowSchema **children;
	struct ArrowSchema *dictionary;
	void (*release)(struct ArrowSchema *);
	void *private_data;
};

struct ArrowArray {
	int64_t length;
	int64_t null_count;
	int64_t offset;
	int64_t n_buffers;
	int64_t n_children;
	const void **buffers;
	struct ArrowArray **children;
	struct ArrowArray *dictionary;
	void (*release)(struct ArrowArray *);
	void *private_data;
};
#endif

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
	int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *);
	int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *);
	const char *(*get_last_error)(struct ArrowArrayStream *);
	void (*release)(struct ArrowArrayStream *);
	void *private_data;
};
#endif

// A view stream hands DuckDB the schema of the stream it wraps, asked for
// once and kept, instead of a new export at every request: DuckDB never
// releases a schema its Arrow scan asks for.
struct view_stream {
	struct ArrowArrayStream inner;
	struct ArrowSchema schema;
	uint64_t exported; // schemas the inner stream was asked for
	uint64_t lent;     // schemas DuckDB asked for
};

static void borrowed_schema_release(struct ArrowSchema *s) {
	s->release = NULL;
}

static int view_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
	struct view_stream *v = s->private_data;
	*out = v->schema;
	out->release = borrowed_schema_release;
	v->lent++;
	return 0;
}

static int view_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
	struct view_stream *v = s->private_data;
	return v->inner.get_next(&v->inner, out);
}

static const char *view_get_last_error(struct ArrowArrayStream *s) {
	struct view_stream *v = s->private_data;
	return v->inner.get_last_error(&v->inner);
}

static void view_release(struct ArrowArrayStream *s) {
	struct view_stream *v = s->private_data;
	if (v->schema.release != NULL) {
		v->schema.release(&v->schema);
	}
	if (v->inner.release != NULL) {
		v->inner.release(&v->inner);
	}
	free(v);
	s->release = NULL;
	s->private_data = NULL;
}

// view_stream_init makes out read v->inner, whose schema it asks for now.
// On an error out is left released and v->inner is the caller's to release.
static int view_stream_init(struct ArrowArrayStream *out, struct view_stream *v) {
	int rc = v->inner.get_schema(&v->inner, &v->schema);
	if (rc != 0) {
		return rc;
	}
	v->exported++;
	out->get_schema = view_get_schema;
	out->get_next = view_get_next;
	out->get_last_error = view_get_last_error;
	out->release = view_release;
	out->private_data = v;
	return 0;
}

static void release_stream(struct ArrowArrayStream *s) {
	if (s->release != NULL) {
		s->release(s);
	}
}

static uint64_t exported_schemas(struct ArrowArrayStream *s) {
	return ((struct view_stream *)s->private_data)->exported;
}

static uint64_t lent_schemas(struct ArrowArrayStream *s) {
	return ((struct view_stream *)s->private_data)->lent;
}
*/
import "C"

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/cdata"
	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/arrowmapping"
	"github.com/duckdb/duckdb-go/v2/mapping"
)

// viewStream is a C Arrow stream registered as a DuckDB view. Its schema is
// exported once, when it is registered, and lent to DuckDB at every request.
type viewStream struct {
	c             *C.struct_ArrowArrayStream
	driverRelease func() // instead of c, where the driver registered the view
}

// registerView registers rdr as the Arrow view name on the driver
// connection dc (replacing a view of that name), as the driver's
// Arrow.RegisterView does, but through a stream that exports rdr's schema
// once.
//
// Why not RegisterView: DuckDB's Arrow scan asks the stream for its schema at
// the registration (several times) and again at every statement that reads the view,
// and releases none of them (src/main/capi/arrow-c.cpp: duckdb_arrow_scan
// keeps the schema it asks for in a local it never releases, and
// FactoryGetSchema clears the release callback of the one it binds with).
// The Go exporter allocates every schema it exports in C memory (three small
// allocations per column), so each statement leaked one schema and the C
// heap grew with the rows a sync wrote. Lending one kept schema leaks
// nothing: DuckDB's copies point into it and it is released with the view.
//
// The driver does not expose the C connection that duckdb_arrow_scan needs;
// rawConn reads it from the driver's connection, and where that cannot be
// done (a driver laid out otherwise) registerView uses RegisterView.
func registerView(dc driver.Conn, rdr array.RecordReader, name string) (*viewStream, error) {
	conn, ok := rawConn(dc)
	if !ok {
		ar, err := duckdb.NewArrowFromConn(dc)
		if err != nil {
			return nil, fmt.Errorf("arrow: %w", err)
		}
		release, err := ar.RegisterView(rdr, name)
		if err != nil {
			return nil, err
		}
		return &viewStream{driverRelease: release}, nil
	}
	v, err := newViewStream(rdr)
	if err != nil {
		return nil, err
	}
	if arrowmapping.ArrowScan(conn, name, arrowmapping.ArrowStream{Ptr: unsafe.Pointer(v.c)}) == mapping.StateError {
		v.release()
		return nil, errors.New("DuckDB's Arrow scan refused the stream")
	}
	return v, nil
}

// newViewStream exports rdr to C and wraps it.
func newViewStream(rdr array.RecordReader) (*viewStream, error) {
	vs := (*C.struct_view_stream)(C.calloc(1, C.sizeof_struct_view_stream))
	cdata.ExportRecordReader(rdr, (*cdata.CArrowArrayStream)(unsafe.Pointer(&vs.inner)))
	c := (*C.struct_ArrowArrayStream)(C.calloc(1, C.sizeof_struct_ArrowArrayStream))
	if rc := C.view_stream_init(c, vs); rc != 0 {
		C.release_stream(&vs.inner)
		C.free(unsafe.Pointer(vs))
		C.free(unsafe.Pointer(c))
		return nil, fmt.Errorf("export the Arrow schema: error %d", int(rc))
	}
	return &viewStream{c: c}, nil
}

// release frees the stream, its kept schema and the Go reader's export: once
// DuckDB no longer has the view (dropped, or rolled back).
func (v *viewStream) release() {
	if v.driverRelease != nil {
		v.driverRelease()
		v.driverRelease = nil
		return
	}
	if v.c == nil {
		return
	}
	C.release_stream(v.c)
	C.free(unsafe.Pointer(v.c))
	v.c = nil
}

// schemas tells how many times the Go exporter was asked for the schema
// (each an allocation) and how many times DuckDB asked for it.
func (v *viewStream) schemas() (exported, lent uint64) {
	return uint64(C.exported_schemas(v.c)), uint64(C.lent_schemas(v.c))
}

// rawConn is the C connection inside the driver's connection dc, when the
// driver keeps it where this package expects it: a field conn of type
// mapping.Connection in duckdb.Conn (duckdb-go v2.10506.0). It does not check
// that dc is open: its callers have it from sql.Conn.Raw, which hands over
// only a connection in use.
func rawConn(dc driver.Conn) (mapping.Connection, bool) {
	c, ok := dc.(*duckdb.Conn)
	if !ok || c == nil {
		return mapping.Connection{}, false
	}
	f, ok := reflect.TypeFor[duckdb.Conn]().FieldByName("conn")
	if !ok || f.Type != reflect.TypeFor[mapping.Connection]() {
		return mapping.Connection{}, false
	}
	conn := *(*mapping.Connection)(unsafe.Add(unsafe.Pointer(c), f.Offset))
	return conn, conn.Ptr != nil
}
