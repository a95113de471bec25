package extractor

import (
	"net/http"
	"net/url"

	"github.com/openai-sync/openai-sync/schema"
)

// projectStream declares a stream read with each project's key; every row
// gets the project's id.
func projectStream(name, path string, paging Paging, limit int, params url.Values, pk []string, doc string, cols ...schema.Column) *Stream {
	cols = append([]schema.Column{str("project_id", "@project_id")}, cols...)
	t := table(name, append([]string{"project_id"}, pk...), cols...)
	return &Stream{Name: name, Path: path, Paging: paging, Key: ProjectKey, Mode: Snapshot, Limit: limit,
		Params: params, Table: t, Doc: doc}
}

// within makes a project stream fan out over the items of another project
// stream (a job's events, a vector store's files).
func within(parent, placeholder, column string, s *Stream) *Stream {
	s.Parent = &Parent{Stream: parent, Placeholder: placeholder, Column: column}
	cols := s.Table.Columns
	s.Table.Columns = append([]schema.Column{cols[0], str(column, "@"+column)}, cols[1:]...)
	s.Table.PrimaryKey = append([]string{"project_id", column}, s.Table.PrimaryKey[1:]...)
	return s
}

// finishedWithin is within for append-only children of parents that finish:
// children of parents finished before the stream's cursor are not re-read.
func finishedWithin(parent, placeholder, column, doneField string, s *Stream) *Stream {
	s = within(parent, placeholder, column, s)
	s.Parent.DoneField = doneField
	s.Mode = Incremental
	s.Cursor = "parents finished before it"
	return s
}

func projectStreams() Catalog {
	id := []string{"id"}
	beta := func(s *Stream) *Stream {
		s.Headers = http.Header{"OpenAI-Beta": {"assistants=v2"}}
		return s
	}
	return Catalog{
		projectStream("files", "/files", PagingCursor, 10000, nil, id, "Files of every project.",
			str("id"), str("object"), i64("bytes"), ts("created_at"), ts("expires_at"), str("filename"),
			str("purpose"), str("status"), str("status_details")),
		projectStream("batches", "/batches", PagingCursor, 100, nil, id,
			"Batches of every project; re-read every run, so a batch in progress ends with its final status.",
			str("id"), str("object"), str("endpoint"), str("model"), str("status"), str("input_file_id"),
			str("output_file_id"), str("error_file_id"), str("completion_window"), ts("created_at"),
			ts("in_progress_at"), ts("expires_at"), ts("finalizing_at"), ts("completed_at"), ts("failed_at"),
			ts("expired_at"), ts("cancelling_at"), ts("cancelled_at"),
			i64("request_counts_total", "request_counts.total"), i64("request_counts_completed", "request_counts.completed"),
			i64("request_counts_failed", "request_counts.failed"), js("request_counts"), js("errors"), js("usage"), js("metadata")),
		projectStream("fine_tuning_jobs", "/fine_tuning/jobs", PagingCursor, 100, nil, id,
			"Fine-tuning jobs of every project; re-read every run until they finish.",
			str("id"), str("object"), str("model"), str("status"), ts("created_at"), ts("finished_at"),
			ts("estimated_finish"), str("fine_tuned_model"), str("organization_id"), i64("trained_tokens"),
			str("training_file"), str("validation_file"), i64("seed"), str("method_type", "method.type"),
			js("method"), js("hyperparameters"), js("result_files"), js("error"), js("integrations"), js("metadata")),
		finishedWithin("fine_tuning_jobs", "{fine_tuning_job_id}", "fine_tuning_job_id", "finished_at",
			projectStream("fine_tuning_job_events", "/fine_tuning/jobs/{fine_tuning_job_id}/events", PagingCursor, 100, nil, id,
				"Events of every fine-tuning job.",
				str("id"), str("object"), ts("created_at"), str("level"), str("message"), str("type"), js("data"))),
		finishedWithin("fine_tuning_jobs", "{fine_tuning_job_id}", "fine_tuning_job_id", "finished_at",
			projectStream("fine_tuning_job_checkpoints", "/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints", PagingCursor, 100, nil, id,
				"Checkpoints of every fine-tuning job.",
				str("id"), str("object"), ts("created_at"), str("fine_tuned_model_checkpoint"), i64("step_number"),
				f64("train_loss", "metrics.train_loss"), f64("valid_loss", "metrics.valid_loss"), js("metrics"))),
		projectStream("vector_stores", "/vector_stores", PagingCursor, 100, nil, id, "Vector stores of every project.",
			str("id"), str("object"), str("name"), str("status"), ts("created_at"), ts("last_active_at"),
			ts("expires_at"), i64("usage_bytes"), i64("files_total", "file_counts.total"), js("file_counts"),
			js("expires_after"), js("metadata")),
		within("vector_stores", "{vector_store_id}", "vector_store_id",
			projectStream("vector_store_files", "/vector_stores/{vector_store_id}/files", PagingCursor, 100, nil, id,
				"Files of every vector store.",
				str("id"), str("object"), str("status"), ts("created_at"), i64("usage_bytes"), js("last_error"),
				js("chunking_strategy"), js("attributes"))),
		projectStream("evals", "/evals", PagingCursor, 100, nil, id, "Evals of every project.",
			str("id"), str("object"), str("name"), ts("created_at"), js("data_source_config"),
			js("testing_criteria"), js("metadata")),
		within("evals", "{eval_id}", "eval_id",
			projectStream("eval_runs", "/evals/{eval_id}/runs", PagingCursor, 100, nil, id,
				"Runs of every eval; re-read every run until they finish.",
				str("id"), str("object"), str("name"), str("status"), str("model"), ts("created_at"), str("report_url"),
				i64("result_total", "result_counts.total"), i64("result_passed", "result_counts.passed"),
				i64("result_failed", "result_counts.failed"), i64("result_errored", "result_counts.errored"),
				js("result_counts"), js("per_model_usage"), js("per_testing_criteria_results"), js("data_source"),
				js("error"), js("metadata"))),
		projectStream("containers", "/containers", PagingCursor, 100, nil, id, "Containers of every project.",
			str("id"), str("object"), str("name"), str("status"), ts("created_at"), ts("last_active_at"),
			str("memory_limit"), js("expires_after"), js("network_policy")),
		within("containers", "{container_id}", "container_id",
			projectStream("container_files", "/containers/{container_id}/files", PagingCursor, 100, nil, id,
				"Files of every container.",
				str("id"), str("object"), ts("created_at"), i64("bytes"), str("path"), str("source"))),
		projectStream("skills", "/skills", PagingCursor, 100, nil, id, "Skills of every project.",
			str("id"), str("object"), str("name"), str("description"), ts("created_at"), str("default_version"),
			str("latest_version")),
		within("skills", "{skill_id}", "skill_id",
			projectStream("skill_versions", "/skills/{skill_id}/versions", PagingCursor, 100, nil, []string{"version"},
				"Versions of every skill.",
				str("version"), str("id"), str("object"), str("name"), str("description"), ts("created_at"))),
		beta(projectStream("assistants", "/assistants", PagingCursor, 100, nil, id, "Assistants of every project (deprecated API).",
			str("id"), str("object"), str("name"), str("description"), str("model"), str("instructions"),
			ts("created_at"), f64("temperature"), f64("top_p"), js("tools"), js("tool_resources"),
			js("response_format"), js("metadata"))),
		projectStream("models", "/models", PagingList, 0, nil, id, "Models each project's key can use.",
			str("id"), str("object"), ts("created"), str("owned_by"), str("shutdown_date")),
	}
}
