package conformance

import "github.com/openai-sync/openai-sync/schema"

// The suite's tables: built by functions, so no test can change another's.

func usersTable() *schema.Table {
	return &schema.Table{
		Name: "users",
		Columns: []schema.Column{
			{Name: "id", Kind: schema.String},
			{Name: "email", Kind: schema.String},
			{Name: "added_at", Kind: schema.Timestamp},
			{Name: "amount", Kind: schema.Decimal},
		},
		PrimaryKey: []string{"id"},
	}
}

// usersWideTable is usersTable after a release that declares one more column.
func usersWideTable() *schema.Table {
	t := usersTable()
	t.Columns = append(t.Columns, schema.Column{Name: "nickname", Kind: schema.String})
	return t
}

// membersTable is a fan-out snapshot: members listed per project.
func membersTable() *schema.Table {
	return &schema.Table{
		Name: "members",
		Columns: []schema.Column{
			{Name: "project_id", Kind: schema.String},
			{Name: "id", Kind: schema.String},
			{Name: "email", Kind: schema.String},
		},
		PrimaryKey: []string{"project_id", "id"},
	}
}

// bucketsTable is a usage stream: buckets re-read and replaced by range.
func bucketsTable() *schema.Table {
	return &schema.Table{
		Name: "buckets",
		Columns: []schema.Column{
			{Name: "bucket_start", Kind: schema.Timestamp},
			{Name: "bucket_width", Kind: schema.String},
			{Name: "project_id", Kind: schema.String},
			{Name: "requests", Kind: schema.Int64},
		},
		PrimaryKey: []string{"bucket_start", "bucket_width", "project_id"},
		TimeColumn: "bucket_start",
	}
}

// eventsTable is an event log: the key's time never changes.
func eventsTable() *schema.Table {
	return &schema.Table{
		Name: "events",
		Columns: []schema.Column{
			{Name: "id", Kind: schema.String},
			{Name: "at", Kind: schema.Timestamp},
			{Name: "kind", Kind: schema.String},
		},
		PrimaryKey: []string{"id"},
		TimeColumn: "at",
	}
}
