package sandbox

// Wire shapes of the project-scoped API (/files, /batches, …), one per spec
// schema. The sandbox stores these values directly: they are the data.
//
// The spec is the contract, so fields it types as plain integers or strings
// (not nullable) are omitted when unset rather than sent as null, although the
// live API sends null for some of them (reference §7 pitfall 12).

// OpenAIFile.
type fileJSON struct {
	ID        string `json:"id"`
	Object    string `json:"object"`
	Bytes     int64  `json:"bytes"`
	CreatedAt int64  `json:"created_at"`
	ExpiresAt *int64 `json:"expires_at,omitempty"`
	Filename  string `json:"filename"`
	Purpose   string `json:"purpose"`
	Status    string `json:"status"`
}

// Batch.
type batchJSON struct {
	ID               string            `json:"id"`
	Object           string            `json:"object"`
	Endpoint         string            `json:"endpoint"`
	Model            string            `json:"model,omitempty"`
	Errors           *batchErrors      `json:"errors,omitempty"`
	InputFileID      string            `json:"input_file_id"`
	CompletionWindow string            `json:"completion_window"`
	Status           string            `json:"status"`
	OutputFileID     string            `json:"output_file_id,omitempty"`
	ErrorFileID      string            `json:"error_file_id,omitempty"`
	CreatedAt        int64             `json:"created_at"`
	InProgressAt     *int64            `json:"in_progress_at,omitempty"`
	ExpiresAt        *int64            `json:"expires_at,omitempty"`
	FinalizingAt     *int64            `json:"finalizing_at,omitempty"`
	CompletedAt      *int64            `json:"completed_at,omitempty"`
	FailedAt         *int64            `json:"failed_at,omitempty"`
	ExpiredAt        *int64            `json:"expired_at,omitempty"`
	CancellingAt     *int64            `json:"cancelling_at,omitempty"`
	CancelledAt      *int64            `json:"cancelled_at,omitempty"`
	RequestCounts    batchCounts       `json:"request_counts"`
	Usage            *batchUsage       `json:"usage,omitempty"`
	Metadata         map[string]string `json:"metadata"`
}

type batchErrors struct {
	Object string       `json:"object"`
	Data   []batchError `json:"data"`
}

// BatchError.
type batchError struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Param   *string `json:"param"`
	Line    *int    `json:"line"`
}

// BatchRequestCounts.
type batchCounts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
}

type batchUsage struct {
	InputTokens         int64        `json:"input_tokens"`
	InputTokensDetails  cachedTokens `json:"input_tokens_details"`
	OutputTokens        int64        `json:"output_tokens"`
	OutputTokensDetails reasonTokens `json:"output_tokens_details"`
	TotalTokens         int64        `json:"total_tokens"`
}

type cachedTokens struct {
	CachedTokens int64 `json:"cached_tokens"`
}

type reasonTokens struct {
	ReasoningTokens int64 `json:"reasoning_tokens"`
}

// FineTuningJob.
type ftJobJSON struct {
	Object          string            `json:"object"`
	ID              string            `json:"id"`
	CreatedAt       int64             `json:"created_at"`
	Error           *ftJobError       `json:"error"`
	FineTunedModel  *string           `json:"fine_tuned_model"`
	FinishedAt      *int64            `json:"finished_at"`
	Hyperparameters ftHyperparameters `json:"hyperparameters"`
	Model           string            `json:"model"`
	OrganizationID  string            `json:"organization_id"`
	ResultFiles     []string          `json:"result_files"`
	Status          string            `json:"status"`
	TrainedTokens   *int64            `json:"trained_tokens"`
	TrainingFile    string            `json:"training_file"`
	ValidationFile  *string           `json:"validation_file"`
	Seed            int64             `json:"seed"`
	EstimatedFinish *int64            `json:"estimated_finish"`
	Method          ftMethod          `json:"method"`
	Metadata        map[string]string `json:"metadata"`
}

type ftJobError struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Param   *string `json:"param"`
}

// Hyperparameters are integers or floats here; the spec also allows "auto".
type ftHyperparameters struct {
	BatchSize              int     `json:"batch_size"`
	LearningRateMultiplier float64 `json:"learning_rate_multiplier"`
	NEpochs                int     `json:"n_epochs"`
}

// FineTuneMethod (supervised or dpo).
type ftMethod struct {
	Type       string          `json:"type"`
	Supervised *ftMethodParams `json:"supervised,omitempty"`
	DPO        *ftMethodParams `json:"dpo,omitempty"`
}

type ftMethodParams struct {
	Hyperparameters ftHyperparameters `json:"hyperparameters"`
}

// FineTuningJobEvent.
type ftEventJSON struct {
	Object    string         `json:"object"`
	ID        string         `json:"id"`
	CreatedAt int64          `json:"created_at"`
	Level     string         `json:"level"`
	Message   string         `json:"message"`
	Type      string         `json:"type"`
	Data      map[string]any `json:"data"`
}

// FineTuningJobCheckpoint.
type ftCheckpointJSON struct {
	Object        string        `json:"object"`
	ID            string        `json:"id"`
	CreatedAt     int64         `json:"created_at"`
	Checkpoint    string        `json:"fine_tuned_model_checkpoint"`
	StepNumber    int           `json:"step_number"`
	Metrics       ftCkptMetrics `json:"metrics"`
	FineTuningJob string        `json:"fine_tuning_job_id"`
}

type ftCkptMetrics struct {
	Step                       float64 `json:"step"`
	TrainLoss                  float64 `json:"train_loss"`
	TrainMeanTokenAccuracy     float64 `json:"train_mean_token_accuracy"`
	ValidLoss                  float64 `json:"valid_loss"`
	ValidMeanTokenAccuracy     float64 `json:"valid_mean_token_accuracy"`
	FullValidLoss              float64 `json:"full_valid_loss"`
	FullValidMeanTokenAccuracy float64 `json:"full_valid_mean_token_accuracy"`
}

// VectorStoreObject.
type vectorStoreJSON struct {
	ID           string            `json:"id"`
	Object       string            `json:"object"`
	CreatedAt    int64             `json:"created_at"`
	Name         string            `json:"name"`
	UsageBytes   int64             `json:"usage_bytes"`
	FileCounts   vsFileCounts      `json:"file_counts"`
	Status       string            `json:"status"`
	ExpiresAfter *vsExpiresAfter   `json:"expires_after,omitempty"`
	ExpiresAt    *int64            `json:"expires_at"`
	LastActiveAt *int64            `json:"last_active_at"`
	Metadata     map[string]string `json:"metadata"`
}

type vsFileCounts struct {
	InProgress int `json:"in_progress"`
	Completed  int `json:"completed"`
	Failed     int `json:"failed"`
	Cancelled  int `json:"cancelled"`
	Total      int `json:"total"`
}

// VectorStoreExpirationAfter.
type vsExpiresAfter struct {
	Anchor string `json:"anchor"`
	Days   int    `json:"days"`
}

// VectorStoreFileObject.
type vsFileJSON struct {
	ID               string            `json:"id"`
	Object           string            `json:"object"`
	UsageBytes       int64             `json:"usage_bytes"`
	CreatedAt        int64             `json:"created_at"`
	VectorStoreID    string            `json:"vector_store_id"`
	Status           string            `json:"status"`
	LastError        *vsFileError      `json:"last_error"`
	ChunkingStrategy chunkingStrategy  `json:"chunking_strategy"`
	Attributes       map[string]string `json:"attributes"`
}

type vsFileError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// StaticChunkingStrategyResponseParam.
type chunkingStrategy struct {
	Type   string         `json:"type"`
	Static staticChunking `json:"static"`
}

type staticChunking struct {
	MaxChunkSizeTokens int `json:"max_chunk_size_tokens"`
	ChunkOverlapTokens int `json:"chunk_overlap_tokens"`
}

// Eval.
type evalJSON struct {
	Object           string            `json:"object"`
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	DataSourceConfig evalDataConfig    `json:"data_source_config"`
	TestingCriteria  []evalGrader      `json:"testing_criteria"`
	CreatedAt        int64             `json:"created_at"`
	Metadata         map[string]string `json:"metadata"`
}

// EvalCustomDataSourceConfig or EvalLogsDataSourceConfig.
type evalDataConfig struct {
	Type     string            `json:"type"`
	Schema   map[string]any    `json:"schema"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

// EvalGraderStringCheck or EvalGraderTextSimilarity.
type evalGrader struct {
	Type             string   `json:"type"`
	Name             string   `json:"name"`
	Input            string   `json:"input"`
	Reference        string   `json:"reference"`
	Operation        string   `json:"operation,omitempty"`
	EvaluationMetric string   `json:"evaluation_metric,omitempty"`
	PassThreshold    *float64 `json:"pass_threshold,omitempty"`
}

// EvalRun.
type evalRunJSON struct {
	Object                    string              `json:"object"`
	ID                        string              `json:"id"`
	EvalID                    string              `json:"eval_id"`
	Status                    string              `json:"status"`
	Model                     string              `json:"model"`
	Name                      string              `json:"name"`
	CreatedAt                 int64               `json:"created_at"`
	ReportURL                 string              `json:"report_url"`
	ResultCounts              evalResultCounts    `json:"result_counts"`
	PerModelUsage             []evalModelUsage    `json:"per_model_usage"`
	PerTestingCriteriaResults []evalCriteriaCount `json:"per_testing_criteria_results"`
	DataSource                evalRunDataSource   `json:"data_source"`
	Metadata                  map[string]string   `json:"metadata"`
	Error                     evalAPIError        `json:"error"`
}

type evalResultCounts struct {
	Total   int `json:"total"`
	Errored int `json:"errored"`
	Failed  int `json:"failed"`
	Passed  int `json:"passed"`
}

type evalModelUsage struct {
	ModelName        string `json:"model_name"`
	InvocationCount  int    `json:"invocation_count"`
	PromptTokens     int64  `json:"prompt_tokens"`
	CompletionTokens int64  `json:"completion_tokens"`
	TotalTokens      int64  `json:"total_tokens"`
	CachedTokens     int64  `json:"cached_tokens"`
}

type evalCriteriaCount struct {
	TestingCriteria string `json:"testing_criteria"`
	Passed          int    `json:"passed"`
	Failed          int    `json:"failed"`
}

// CreateEvalCompletionsRunDataSource with an item_reference and a file_id source.
type evalRunDataSource struct {
	Type           string             `json:"type"`
	Model          string             `json:"model"`
	InputMessages  evalInputMessages  `json:"input_messages"`
	SamplingParams evalSamplingParams `json:"sampling_params"`
	Source         evalFileSource     `json:"source"`
}

type evalInputMessages struct {
	Type          string `json:"type"`
	ItemReference string `json:"item_reference"`
}

type evalSamplingParams struct {
	Temperature         float64 `json:"temperature"`
	MaxCompletionTokens int     `json:"max_completion_tokens"`
	TopP                float64 `json:"top_p"`
	Seed                int     `json:"seed"`
}

type evalFileSource struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// EvalApiError. The spec requires an object, so a run without an error
// carries empty strings (the live API sends null; reference §7 pitfall 12).
type evalAPIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ContainerResource.
type containerJSON struct {
	ID           string              `json:"id"`
	Object       string              `json:"object"`
	Name         string              `json:"name"`
	CreatedAt    int64               `json:"created_at"`
	Status       string              `json:"status"`
	LastActiveAt int64               `json:"last_active_at"`
	ExpiresAfter containerExpiry     `json:"expires_after"`
	MemoryLimit  string              `json:"memory_limit"`
	Network      *containerNetPolicy `json:"network_policy,omitempty"`
}

type containerExpiry struct {
	Anchor  string `json:"anchor"`
	Minutes int    `json:"minutes"`
}

type containerNetPolicy struct {
	Type           string   `json:"type"`
	AllowedDomains []string `json:"allowed_domains,omitempty"`
}

// ContainerFileResource.
type containerFileJSON struct {
	ID          string `json:"id"`
	Object      string `json:"object"`
	ContainerID string `json:"container_id"`
	CreatedAt   int64  `json:"created_at"`
	Bytes       int64  `json:"bytes"`
	Path        string `json:"path"`
	Source      string `json:"source"`
}

// SkillResource.
type skillJSON struct {
	ID             string `json:"id"`
	Object         string `json:"object"`
	Name           string `json:"name"`
	Description    string `json:"description"`
	CreatedAt      int64  `json:"created_at"`
	DefaultVersion string `json:"default_version"`
	LatestVersion  string `json:"latest_version"`
}

// SkillVersionResource.
type skillVersionJSON struct {
	Object      string `json:"object"`
	ID          string `json:"id"`
	SkillID     string `json:"skill_id"`
	Version     string `json:"version"`
	CreatedAt   int64  `json:"created_at"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// AssistantObject.
type assistantJSON struct {
	ID             string            `json:"id"`
	Object         string            `json:"object"`
	CreatedAt      int64             `json:"created_at"`
	Name           *string           `json:"name"`
	Description    *string           `json:"description"`
	Model          string            `json:"model"`
	Instructions   *string           `json:"instructions"`
	Tools          []assistantTool   `json:"tools"`
	ToolResources  *assistantToolRes `json:"tool_resources"`
	Metadata       map[string]string `json:"metadata"`
	Temperature    *float64          `json:"temperature"`
	TopP           *float64          `json:"top_p"`
	ResponseFormat string            `json:"response_format"`
}

// AssistantToolsCode or AssistantToolsFileSearch.
type assistantTool struct {
	Type string `json:"type"`
}

type assistantToolRes struct {
	CodeInterpreter *struct {
		FileIDs []string `json:"file_ids"`
	} `json:"code_interpreter,omitempty"`
	FileSearch *struct {
		VectorStoreIDs []string `json:"vector_store_ids"`
	} `json:"file_search,omitempty"`
}

// Model.
type modelJSON struct {
	ID           string  `json:"id"`
	Object       string  `json:"object"`
	Created      int64   `json:"created"`
	OwnedBy      string  `json:"owned_by"`
	ShutdownDate *string `json:"shutdown_date"`
}
