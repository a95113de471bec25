package sandbox

import (
	"cmp"
	"slices"
	"strconv"
)

// vectorStores makes 2-5 stores over the project's documents. A live
// project's first store is still indexing; with three or more, the last one
// has expired.
func (b *projectBuilder) vectorStores() {
	docs := b.st.filesOf("assistants")
	n := b.g.between(2, 5)
	for i, name := range b.g.sample(len(storeNames), n) {
		status := "completed"
		switch {
		case i == 0 && b.live:
			status = "in_progress"
		case i == n-1 && n > 2:
			status = "expired"
		}
		b.st.vectorStores = append(b.st.vectorStores, b.vectorStore(storeNames[name], status, docs))
	}
	slices.SortStableFunc(b.st.vectorStores, func(x, y *vectorStore) int { return cmp.Compare(x.wire.CreatedAt, y.wire.CreatedAt) })
}

func (b *projectBuilder) vectorStore(name, status string, docs []*fileJSON) *vectorStore {
	g := b.g
	var created, filesUntil int64
	switch status {
	case "in_progress":
		created = b.recent(3600)
		filesUntil = b.now - 1
	case "expired":
		created = b.past(20 * day)
		filesUntil = created + 2*day
	default:
		created = b.past(0)
		filesUntil = b.until
	}
	if status == "expired" { // only documents old enough to have expired with it
		docs = slices.DeleteFunc(slices.Clone(docs), func(f *fileJSON) bool { return f.CreatedAt > filesUntil })
		if len(docs) == 0 {
			return b.vectorStore(name, "completed", b.st.filesOf("assistants"))
		}
	}
	vs := &vectorStore{wire: vectorStoreJSON{ID: "vs_" + g.hex(32), Object: "vector_store", CreatedAt: created,
		Name: name, Status: status, Metadata: map[string]string{}}}
	picked := g.sample(len(docs), g.between(1, min(12, len(docs))))
	slices.Sort(picked)
	last := created
	for k, i := range picked {
		f := docs[i]
		vf := &vsFileJSON{ID: f.ID, Object: "vector_store.file", UsageBytes: f.Bytes / int64(g.between(3, 10)),
			CreatedAt: b.at(max(created, f.CreatedAt), max(filesUntil, created, f.CreatedAt)), VectorStoreID: vs.wire.ID,
			Status: "completed", ChunkingStrategy: chunkingStrategy{Type: "static",
				Static: staticChunking{MaxChunkSizeTokens: 800, ChunkOverlapTokens: 400}}}
		switch {
		case status == "in_progress" && k >= len(picked)-2:
			vf.Status, vf.UsageBytes = "in_progress", 0
		case g.chance(0.1):
			vf.Status, vf.UsageBytes = "failed", 0
			vf.LastError = &vsFileError{Code: "unsupported_file", Message: "The file type is not supported for retrieval."}
		}
		if g.chance(0.3) {
			vf.Attributes = map[string]string{"source": "upload", "team": g.pick(keyNames)}
		}
		last = max(last, vf.CreatedAt)
		vs.files = append(vs.files, vf)
	}
	slices.SortStableFunc(vs.files, func(x, y *vsFileJSON) int { return cmp.Compare(x.CreatedAt, y.CreatedAt) })
	w := &vs.wire
	for _, f := range vs.files {
		w.UsageBytes += f.UsageBytes
		w.FileCounts.Total++
		switch f.Status {
		case "completed":
			w.FileCounts.Completed++
		case "failed":
			w.FileCounts.Failed++
		case "in_progress":
			w.FileCounts.InProgress++
		}
	}
	switch {
	case status == "expired":
		active := last + int64(g.between(0, 3))*day
		w.LastActiveAt, w.ExpiresAfter, w.ExpiresAt = &active, &vsExpiresAfter{"last_active_at", 7}, ptr(active+7*day)
	case status == "in_progress":
		w.LastActiveAt = &last
	default:
		active := b.at(last, b.until)
		w.LastActiveAt = &active
		if g.chance(0.4) {
			days := g.between(30, 365)
			w.ExpiresAfter, w.ExpiresAt = &vsExpiresAfter{"last_active_at", days}, ptr(active+int64(days)*day)
		}
	}
	return vs
}

// containers makes 1-3 code-interpreter containers; a live project's first
// one is running, the others have expired.
func (b *projectBuilder) containers() {
	g := b.g
	n := g.between(1, 3)
	for i, name := range g.sample(len(containerNames), n) {
		created, status := b.past(day), "expired"
		if i == 0 && b.live {
			created, status = b.recent(1800), "running"
		}
		lastActive := b.at(created, min(created+6*3600, b.until))
		if status == "running" {
			lastActive = b.at(created, b.now-30)
		}
		c := &container{wire: containerJSON{ID: "cntr_" + g.hex(48), Object: "container", Name: containerNames[name],
			CreatedAt: created, Status: status, LastActiveAt: lastActive,
			ExpiresAfter: containerExpiry{Anchor: "last_active_at", Minutes: 20}, MemoryLimit: g.pick([]string{"1g", "1g", "4g"})}}
		switch g.r.IntN(4) {
		case 0:
			c.wire.Network = &containerNetPolicy{Type: "disabled"}
		case 1:
			c.wire.Network = &containerNetPolicy{Type: "allowlist", AllowedDomains: []string{"pypi.org", "files.pythonhosted.org"}}
		}
		for _, p := range g.sample(len(containerPaths), g.between(1, 6)) {
			c.files = append(c.files, containerFileJSON{ID: "cfile_" + g.hex(32), Object: "container.file",
				ContainerID: c.wire.ID, CreatedAt: b.at(created, lastActive), Bytes: int64(g.between(200, 5_000_000)),
				Path: containerPaths[p], Source: g.pick([]string{"user", "assistant"})})
		}
		slices.SortStableFunc(c.files, func(x, y containerFileJSON) int { return cmp.Compare(x.CreatedAt, y.CreatedAt) })
		b.st.containers = append(b.st.containers, c)
	}
	slices.SortStableFunc(b.st.containers, func(x, y *container) int { return cmp.Compare(x.wire.CreatedAt, y.wire.CreatedAt) })
}

// skills makes 1-4 skills with 1-4 versions each.
func (b *projectBuilder) skills() {
	g := b.g
	for _, i := range g.sample(len(skillNames), g.between(1, 4)) {
		sn := skillNames[i]
		k := &skill{wire: skillJSON{ID: "skill_" + g.hex(32), Object: "skill", Name: sn.name, Description: sn.description}}
		n := g.between(1, 4)
		for v, at := range spread(g, n, b.from, b.until) {
			k.versions = append(k.versions, skillVersionJSON{Object: "skill.version", ID: "skillver_" + g.hex(32),
				SkillID: k.wire.ID, Version: strconv.Itoa(v + 1), CreatedAt: at, Name: sn.name, Description: sn.description})
		}
		k.wire.CreatedAt = k.versions[0].CreatedAt
		k.wire.LatestVersion, k.wire.DefaultVersion = strconv.Itoa(n), strconv.Itoa(n)
		if n > 1 && g.chance(0.3) {
			k.wire.DefaultVersion = strconv.Itoa(n - 1) // the newest version is not promoted yet
		}
		b.st.skills = append(b.st.skills, k)
	}
	slices.SortStableFunc(b.st.skills, func(x, y *skill) int { return cmp.Compare(x.wire.CreatedAt, y.wire.CreatedAt) })
}

// assistants makes 2-6 assistants using the project's stores and documents.
func (b *projectBuilder) assistants() {
	g := b.g
	docs := b.st.filesOf("assistants")
	for range g.between(2, 6) {
		a := &assistantJSON{ID: "asst_" + g.alnum(24), Object: "assistant", CreatedAt: b.past(0),
			Name: ptr(g.pick(assistantNames)), Model: g.pick(chatModels), Instructions: ptr(g.pick(assistantInstructions)),
			Tools: []assistantTool{}, Metadata: map[string]string{}, Temperature: ptr(1.0), TopP: ptr(1.0), ResponseFormat: "auto"}
		if g.chance(0.5) {
			a.Description = ptr("Answers questions for the " + *a.Name + " workflow.")
		}
		res := &assistantToolRes{}
		if g.chance(0.7) {
			a.Tools = append(a.Tools, assistantTool{Type: "file_search"})
			vs := b.st.vectorStores[g.r.IntN(len(b.st.vectorStores))]
			res.FileSearch = &struct {
				VectorStoreIDs []string `json:"vector_store_ids"`
			}{[]string{vs.wire.ID}}
		}
		if len(a.Tools) == 0 || g.chance(0.4) {
			a.Tools = append(a.Tools, assistantTool{Type: "code_interpreter"})
			var ids []string
			for _, i := range g.sample(len(docs), g.between(0, 3)) {
				ids = append(ids, docs[i].ID)
			}
			res.CodeInterpreter = &struct {
				FileIDs []string `json:"file_ids"`
			}{append([]string{}, ids...)}
		}
		a.ToolResources = res
		b.st.assistants = append(b.st.assistants, a)
	}
	slices.SortStableFunc(b.st.assistants, func(x, y *assistantJSON) int { return cmp.Compare(x.CreatedAt, y.CreatedAt) })
}
