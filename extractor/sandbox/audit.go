package sandbox

import (
	"cmp"
	"hash/fnv"
	"slices"
)

// auditEvent is one audit log entry, stored compactly and rendered on demand.
type auditEvent struct {
	id       string
	at       int64
	kind     uint8
	project  *project
	resource string // the detail object's id (what resource_ids[] matches); "" for logins
	subject  string // a user the event is about (role assignments)
	actor    auditActor
	aux      uint32 // deterministic variety for rendering
}

type auditActor struct {
	session bool
	user    *user  // session user, or the owner of a user admin key
	keyID   string // api_key actors
	saID    string // service-account admin key owner
	ip      uint32
}

// auditLog keeps events sorted ascending by (effective_at, id); the API lists
// them in reverse, newest first. index maps id -> position, so cursors and
// appends are cheap at 200k events.
type auditLog struct {
	o      *org
	g      *gen
	people []*user // every user generated, for events after all users were removed
	total  int     // sum of kind weights
	events []auditEvent
	index  map[string]int
}

func newAuditLog(o *org, g *gen, n int, now int64) *auditLog {
	a := &auditLog{o: o, g: g, people: slices.Clone(o.Users), events: make([]auditEvent, 0, n), index: make(map[string]int, n)}
	for _, k := range auditKinds {
		a.total += k.weight
	}
	from := now - 90*day
	ats := make([]int64, 0, n)
	for len(ats) < n {
		at := from + g.r.Int64N(90*day) // strictly before now
		burst := 1
		if g.chance(0.25) { // several events in the same second
			burst += g.between(1, 4)
		}
		for range min(burst, n-len(ats)) {
			ats = append(ats, at)
		}
	}
	slices.Sort(ats)
	for _, at := range ats {
		a.append(at)
	}
	a.sortRuns(0)
	return a
}

func compareEvents(x, y auditEvent) int {
	return cmp.Or(cmp.Compare(x.at, y.at), cmp.Compare(x.id, y.id))
}

// append adds an event at the end; the caller keeps events ordered by time.
func (a *auditLog) append(at int64) {
	a.events = append(a.events, a.newEvent(at))
	a.index[a.events[len(a.events)-1].id] = len(a.events) - 1
}

// sortRuns orders events[i:], already sorted by time, by id within each
// second, and refreshes the index of the events it moves.
func (a *auditLog) sortRuns(i int) {
	ev := a.events
	for i < len(ev) {
		j := i + 1
		for j < len(ev) && ev[j].at == ev[i].at {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(ev[i:j], compareEvents)
			for k := i; k < j; k++ {
				a.index[ev[k].id] = k
			}
		}
		i = j
	}
}

// add appends n events at now (never before the newest event).
func (a *auditLog) add(n int, now int64) {
	start := len(a.events)
	if start > 0 {
		now = max(now, a.events[start-1].at)
	}
	for start > 0 && a.events[start-1].at == now {
		start--
	}
	for range n {
		a.append(now)
	}
	a.sortRuns(start)
}

// addLate adds n events at a time before events already listed, as an API
// that shows events some time after they happened does.
func (a *auditLog) addLate(n int, at int64) {
	for range n {
		a.append(at)
	}
	slices.SortFunc(a.events, compareEvents)
	for i, e := range a.events {
		a.index[e.id] = i
	}
}

func (a *auditLog) newEvent(at int64) auditEvent {
	g := a.g
	id := "audit_log-" + g.alnum(24)
	for _, dup := a.index[id]; dup; _, dup = a.index[id] {
		id = "audit_log-" + g.alnum(24)
	}
	e := auditEvent{id: id, at: at, kind: a.pickKind(), aux: g.r.Uint32()}
	k := &auditKinds[e.kind]
	e.actor = a.newActor(k.sessionOnly)
	k.about(a, &e)
	return e
}

func (a *auditLog) pickKind() uint8 {
	w := a.g.r.IntN(a.total)
	for i, k := range auditKinds {
		if w < k.weight {
			return uint8(i)
		}
		w -= k.weight
	}
	return 0
}

// newActor is a person's session (75%) or an admin API key.
func (a *auditLog) newActor(sessionOnly bool) auditActor {
	g := a.g
	if sessionOnly || g.chance(0.75) {
		u := a.randomUser()
		return auditActor{session: true, user: u, ip: deviceIP(u, g.r.IntN(devicesPerUser))}
	}
	k := a.o.AdminKeys[g.r.IntN(len(a.o.AdminKeys))]
	if k.Owner.Type == "service_account" {
		return auditActor{keyID: k.ID, saID: k.Owner.ID}
	}
	return auditActor{keyID: k.ID, user: a.o.people[k.Owner.ID]}
}

// devicesPerUser is how many places a person signs in from: each has its
// own address and its own browser (user agent and TLS fingerprints), as in
// a live log, where a session's fields repeat across a person's events.
const devicesPerUser = 3

// deviceIP is the address of a person's device.
func deviceIP(u *user, device int) uint32 {
	h := fnv.New32a()
	h.Write([]byte(u.ID))
	return h.Sum32()*0x9e3779b1 + uint32(device)*0x85ebca6b
}

// ids returns every event id in list order (newest first).
func (a *auditLog) ids() []string {
	out := make([]string, 0, len(a.events))
	for i := len(a.events) - 1; i >= 0; i-- {
		out = append(out, a.events[i].id)
	}
	return out
}
