// Package apispec checks HTTP exchanges against OpenAI's published OpenAPI spec.
//
// It exists for tests: every response the sandbox serves must validate against the official
// spec, and every request the client sends must use only the query parameters the spec
// declares for the operation. Schema validation is done by github.com/pb33f/libopenapi-validator;
// query parameter names are checked here, from the libopenapi model, because the validator
// ignores undeclared ones.
package apispec

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/cache"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/router"
	"github.com/pb33f/libopenapi/datamodel"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// EnvSpec names the environment variable that overrides the spec location.
const EnvSpec = "OPENAI_SYNC_SPEC"

// SpecPath returns the spec location: $OPENAI_SYNC_SPEC if set (returned as is, so a wrong
// value fails loudly in Load), else ../shared/openai-openapi/openapi.yaml next to the module
// root, found by walking up from the current directory to the one holding go.mod. It returns
// "" when neither is available.
func SpecPath() string {
	if p := os.Getenv(EnvSpec); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "..", "shared", "openai-openapi", "openapi.yaml")
			if _, err := os.Stat(p); err != nil {
				return ""
			}
			return filepath.Clean(p)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Spec is a parsed OpenAPI document with a validator built on it. It is safe for concurrent
// use; build it once per test binary (TestMain or a Loader).
type Spec struct {
	path      string
	model     *v3.Document
	router    router.Router
	validator validator.Validator
}

// Path returns the file the spec was loaded from.
func (s *Spec) Path() string { return s.path }

// Load parses the spec at path and builds its validator.
//
// Two deliberate departures from the validator's defaults, both documented at their helpers:
// schemas are compiled on first use instead of all at construction (lazySchemaCache), and
// schemas are compiled with OpenAPI 3.0 keyword handling so the spec's stray `nullable: true`
// means what its authors meant (nullableModel).
func Load(path string) (*Spec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("apispec: read spec: %w", err)
	}
	doc, err := libopenapi.NewDocumentWithConfiguration(dedupeRequired(raw), &datamodel.DocumentConfiguration{})
	if err != nil {
		return nil, fmt.Errorf("apispec: parse %s: %w", path, err)
	}
	built, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("apispec: build model of %s: %w", path, err)
	}
	if built == nil {
		return nil, errors.New("apispec: build model: no model")
	}
	model := &built.Model

	schemas := &lazySchemaCache{SchemaCache: cache.NewDefaultCache()}
	schemas.constructing.Store(true)
	v := validator.NewValidatorFromV3Model(nullableModel(model),
		config.WithSchemaCache(schemas),
		// Security is not the contract under test: the sandbox checks the bearer key itself,
		// and keeping the validator away from the Authorization header keeps the key out of
		// every message it could produce.
		config.WithoutSecurityValidation(),
	)
	schemas.constructing.Store(false)

	return &Spec{
		path:      path,
		model:     model,
		router:    router.NewRouter(model, router.WithPathOnlyMatching()),
		validator: v,
	}, nil
}

// nullableModel returns a shallow copy of model that announces OpenAPI 3.0.3.
//
// The spec says 3.1.0 but still uses the 3.0 keyword `nullable: true` on 111 schemas
// (openai/openai-openapi issue #483). In 3.1 mode the validator refuses to compile any schema
// holding it ("The `nullable` keyword is not supported in OpenAPI 3.1+"); in 3.0 mode it
// rewrites `nullable: true` to a type union with "null", which is what the authors meant. The
// document version is the only input the validator reads for this choice, and apart from
// nullable its 3.0 handling differs only for boolean exclusiveMinimum/Maximum, which this
// spec does not use. Everything else is compiled as JSON Schema 2020-12 either way. Routing
// and query checks use the untouched model.
func nullableModel(model *v3.Document) *v3.Document {
	m := *model
	m.Version = "3.0.3"
	return &m
}

// lazySchemaCache is the validator's compiled-schema cache, filled on first use.
//
// The validator warms its cache by compiling every request and response schema of the whole
// spec when it is constructed: about 9 s for this 3 MB spec, for the handful of operations a
// test touches. Its warm-up compiles only schemas the cache reports as absent, so while
// constructing is set this cache reports every key as present with a nil entry. Every reader
// outside the warm-up checks the entry for nil and compiles on a miss, then stores the result
// here, so afterwards the cache behaves like the default one.
type lazySchemaCache struct {
	cache.SchemaCache
	constructing atomic.Bool
}

func (c *lazySchemaCache) Load(key uint64) (*cache.SchemaCacheEntry, bool) {
	if c.constructing.Load() {
		return nil, true
	}
	return c.SchemaCache.Load(key)
}

// Loader loads one spec at most once, on first use, for tests that want the spec only when a
// contract test actually runs. The zero value loads SpecPath().
type Loader struct {
	// Path overrides SpecPath() when set.
	Path string

	once sync.Once
	spec *Spec
	err  error
}

// ErrNoSpec reports that no spec file was found; tests should skip on it.
var ErrNoSpec = errors.New("apispec: spec not found: set " + EnvSpec)

// Spec returns the loaded spec, loading it on the first call.
func (l *Loader) Spec() (*Spec, error) {
	l.once.Do(func() {
		path := l.Path
		if path == "" {
			path = SpecPath()
		}
		if path == "" {
			l.err = ErrNoSpec
			return
		}
		l.spec, l.err = Load(path)
	})
	return l.spec, l.err
}

// resolve finds the exchange's operation once, recording a KindRoute violation when there is
// none; it returns nil then.
func (s *Spec) resolve(e *exchange) *router.Route {
	if !e.resolved {
		e.resolved = true
		route, err := s.findRoute(e.method, e.path)
		if err != nil {
			e.add(KindRoute, "%v", err)
		} else {
			e.route = route
			e.operationID = route.Operation.OperationId
		}
	}
	return e.route
}

// findRoute matches method and path (with or without the /v1 server prefix) to an operation.
func (s *Spec) findRoute(method, path string) (*router.Route, error) {
	req, err := http.NewRequest(method, path, nil)
	if err != nil {
		return nil, fmt.Errorf("bad path %q: %w", path, err)
	}
	route, err := s.router.FindRoute(req)
	switch {
	case errors.Is(err, router.ErrMethodNotAllowed):
		return nil, fmt.Errorf("the spec has no %s operation on %s", method, route.Path)
	case err != nil:
		return nil, errors.New("no path in the spec matches")
	case route.Operation == nil:
		return nil, fmt.Errorf("the spec has no %s operation on %s", method, route.Path)
	}
	return route, nil
}
