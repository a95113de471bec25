package sandbox

// Word lists for the project API's objects. Read-only.

var docFiles = []string{
	"employee-handbook.pdf", "product-faq.md", "pricing-2025.pdf", "support-macros.docx", "api-reference.md",
	"onboarding-guide.pdf", "security-whitepaper.pdf", "release-notes.md", "troubleshooting.txt",
	"contracts-summary.pdf", "style-guide.md", "returns-policy.pdf", "warranty-terms.pdf", "kb-export.json",
}

var dataFiles = []string{
	"q3-sales.csv", "customer-survey.xlsx", "tickets-export.csv", "eval-set-v2.jsonl", "invoices-2025.pdf",
	"kpi-dashboard.csv", "churn-cohorts.csv", "golden-answers.jsonl",
}

var imageFiles = []string{"receipt-0412.png", "whiteboard.jpg", "diagram-arch.png", "screenshot-checkout.png", "product-photo.jpg"}

var outputFiles = []string{"chart.png", "analysis.csv", "summary.xlsx", "forecast.png"}

var tuneTopics = []string{"support-tone", "sql-gen", "ticket-triage", "product-qa", "summaries", "extraction"}

var batchTasks = []string{"embed-catalog", "classify-tickets", "summarize-calls", "translate-docs", "nightly-evals", "tag-products"}

var batchEndpoints = []string{"/v1/chat/completions", "/v1/responses", "/v1/embeddings"}

var tuneBaseModels = []string{"gpt-4o-mini-2024-07-18", "gpt-4.1-mini-2025-04-14", "gpt-4.1-2025-04-14", "gpt-4o-2024-08-06"}

var storeNames = []string{"Support KB", "Product docs", "Policies", "Engineering wiki", "Sales playbooks", "Legal archive"}

var evalNames = []string{"Answer accuracy", "Tone check", "SQL correctness", "Triage labels", "Refusal behaviour", "Summary quality"}

var containerNames = []string{"data-analysis", "report-builder", "csv-cleanup", "plotting", "notebook-sandbox"}

var containerPaths = []string{"/mnt/data/report.csv", "/mnt/data/plot.png", "/mnt/data/input.xlsx", "/mnt/data/cleaned.parquet", "/mnt/data/notes.md", "/mnt/data/model.pkl"}

var skillNames = []struct{ name, description string }{
	{"pdf-report", "Builds a branded PDF report from tabular data."},
	{"sql-analyst", "Writes and checks read-only SQL against the warehouse schema."},
	{"invoice-parser", "Extracts line items, totals and tax from invoices."},
	{"brand-voice", "Rewrites copy in the house style."},
	{"slide-deck", "Turns an outline into a slide deck."},
}

var assistantNames = []string{"Support Agent", "Docs Helper", "Data Analyst", "Sales Coach", "HR Assistant", "Release Notes Writer"}

var assistantInstructions = []string{
	"You are a helpful support agent. Answer from the knowledge base and cite the document.",
	"Answer questions about the product documentation. Say when you do not know.",
	"You analyse CSV and Excel files with code and explain the results briefly.",
	"Coach sales reps on objection handling using the playbooks.",
}
