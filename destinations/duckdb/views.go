package duckdb

import (
	"context"
	"fmt"
	"strings"

	"github.com/openai-sync/openai-sync/schema"
)

// EnsureTables creates (or widens) the tables of every stream, so that views
// and analysts' queries find them even before a stream has rows.
func (d *DB) EnsureTables(ctx context.Context, tables []*schema.Table) error {
	for _, t := range tables {
		if err := d.ensureTable(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// usageFamilies are the usage tables the daily view unions, with the columns
// that give requests, input and output.
var usageFamilies = []struct{ family, requests, input, output string }{
	{"completions", "num_model_requests", "input_tokens", "output_tokens"},
	{"embeddings", "num_model_requests", "input_tokens", "NULL"},
	{"moderations", "num_model_requests", "input_tokens", "NULL"},
	{"images", "num_model_requests", "NULL", "images"},
	{"audio_speeches", "num_model_requests", "characters", "NULL"},
	{"audio_transcriptions", "num_model_requests", "seconds", "NULL"},
	{"web_search_calls", "num_model_requests", "NULL", "NULL"},
}

// EnsureViews (re)creates the analyst views. It needs the usage, costs,
// projects and users tables (EnsureTables). Their queries name tables
// without a schema: DuckDB resolves them in the view's own schema, so the
// views keep working when the file is attached under another name.
func (d *DB) EnsureViews(ctx context.Context) error {
	s := d.schema
	var parts, users []string
	for _, f := range usageFamilies {
		parts = append(parts, fmt.Sprintf(`SELECT CAST(timezone('UTC', bucket_start) AS DATE) AS day, bucket_width, '%s' AS family,
			project_id, model, sum(%s)::BIGINT AS requests, sum(%s)::BIGINT AS input_units, sum(%s)::BIGINT AS output_units
			FROM usage_%s WHERE NOT coalesce(_deleted, false) GROUP BY ALL`, f.family, f.requests, f.input, f.output, f.family))
		// One width per family ('1d' < '1h' < '1m': the coarsest stored), so
		// that widths stored side by side are not counted twice.
		users = append(users, fmt.Sprintf(`SELECT user_id, bucket_start, %s AS requests FROM usage_%s
			WHERE user_id IS NOT NULL AND bucket_start >= now() - INTERVAL 60 DAY
			AND bucket_width = (SELECT min(bucket_width) FROM usage_%s)`, f.requests, f.family, f.family))
	}
	views := []string{
		fmt.Sprintf(`CREATE OR REPLACE VIEW %s.daily_usage AS
-- one row per day, bucket width, usage family, project and model. input_units and
-- output_units are tokens, except images (output: images), audio speeches (input:
-- characters) and transcriptions (input: seconds). Filter on one bucket_width.
%s`, s, strings.Join(parts, "\nUNION ALL\n")),
		fmt.Sprintf(`CREATE OR REPLACE VIEW %s.daily_costs_by_project AS
SELECT CAST(timezone('UTC', c.bucket_start) AS DATE) AS day, c.project_id, p.name AS project_name, c.amount_currency AS currency,
	sum(c.amount_value) AS amount
FROM costs c LEFT JOIN projects p ON p.id = c.project_id
GROUP BY ALL`, s),
		fmt.Sprintf(`CREATE OR REPLACE VIEW %s.user_activity_60d AS
WITH activity AS (%s),
per_user AS (SELECT user_id, CAST(timezone('UTC', max(bucket_start)) AS DATE) AS last_activity_date, sum(requests)::BIGINT AS model_requests
	FROM activity GROUP BY user_id)
SELECT u.id AS user_id, u.email, u.name, u.role,
	CASE WHEN u._deleted THEN 'removed' ELSE 'active' END AS status,
	a.last_activity_date, coalesce(a.model_requests, 0) AS model_requests
FROM users u LEFT JOIN per_user a ON a.user_id = u.id`, s, strings.Join(users, "\nUNION ALL\n")),
	}
	for _, v := range views {
		if _, err := d.conn.ExecContext(ctx, v); err != nil {
			return fmt.Errorf("create view: %.60s: %w", v, err)
		}
	}
	return nil
}
