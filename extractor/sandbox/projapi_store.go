package sandbox

// Random streams of the project API, apart from the org's (gen.go), so that
// adding project objects reshuffles nothing else. Project i uses
// rngProjectAPI+i, so that changing Projects keeps earlier projects' objects.
const (
	rngProjectAPIAdvance uint64 = 1<<20 - 1
	rngProjectAPI        uint64 = 1 << 20
)

// projectAPI holds every project's objects on the project-scoped API, and the
// org-wide model list. Guarded by Server.mu.
type projectAPI struct {
	stores map[string]*projectStore // project id -> objects
	models []modelJSON
	adv    *gen // ids of objects AdvanceJobs creates
	slug   string
}

// projectStore is one project's objects. Slices are in creation order
// (oldest first); handlers reverse them for newest-first lists.
type projectStore struct {
	projectID    string
	files        []*fileJSON
	batches      []*batch
	jobs         []*ftJob
	vectorStores []*vectorStore
	evals        []*evalObj
	containers   []*container
	skills       []*skill
	assistants   []*assistantJSON
}

// batch is a batch and the number of requests in its input file.
type batch struct {
	wire          batchJSON
	total, failed int
}

// ftJob is a fine-tuning job with its events and checkpoints. A job still
// validating, queued or running keeps the rest of its run in pending*, which
// AdvanceJobs reveals.
type ftJob struct {
	wire           ftJobJSON
	events         []ftEventJSON
	checkpoints    []ftCheckpointJSON
	pendingEvents  []ftEventJSON
	pendingCkpts   []ftCheckpointJSON
	finalModel     string
	trainedTokens  int64
	resultFileName string
}

type vectorStore struct {
	wire  vectorStoreJSON
	files []*vsFileJSON
}

// evalObj is an eval with its runs.
type evalObj struct {
	wire evalJSON
	runs []*evalRun
}

// evalRun is a run, the outcome it reaches when complete, and its eval's
// grader names.
type evalRun struct {
	wire    evalRunJSON
	final   evalResultCounts
	graders []string
}

type container struct {
	wire  containerJSON
	files []containerFileJSON
}

type skill struct {
	wire     skillJSON
	versions []skillVersionJSON
}

func (st *projectStore) job(id string) *ftJob {
	for _, j := range st.jobs {
		if j.wire.ID == id {
			return j
		}
	}
	return nil
}

func (st *projectStore) vectorStore(id string) *vectorStore {
	for _, v := range st.vectorStores {
		if v.wire.ID == id {
			return v
		}
	}
	return nil
}

func (st *projectStore) eval(id string) *evalObj {
	for _, e := range st.evals {
		if e.wire.ID == id {
			return e
		}
	}
	return nil
}

func (st *projectStore) container(id string) *container {
	for _, c := range st.containers {
		if c.wire.ID == id {
			return c
		}
	}
	return nil
}

func (st *projectStore) skill(id string) *skill {
	for _, k := range st.skills {
		if k.wire.ID == id {
			return k
		}
	}
	return nil
}

// filesOf returns the project's files with one purpose, oldest first.
func (st *projectStore) filesOf(purpose string) []*fileJSON {
	var out []*fileJSON
	for _, f := range st.files {
		if f.Purpose == purpose {
			out = append(out, f)
		}
	}
	return out
}
