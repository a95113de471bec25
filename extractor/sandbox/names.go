package sandbox

// Word lists for realistic-looking data. Read-only.

var firstNames = []string{
	"Ada", "Alan", "Amara", "Ana", "Arjun", "Beatriz", "Ben", "Chen", "Chloe", "Daniel",
	"Diego", "Elena", "Emeka", "Fatima", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan",
	"Jamal", "Jin", "Julia", "Kai", "Kenji", "Lara", "Leila", "Lucas", "Maya", "Mateo",
	"Mei", "Nadia", "Noah", "Olga", "Omar", "Priya", "Rafael", "Rosa", "Sam", "Sofia",
	"Tariq", "Tomas", "Uma", "Victor", "Wen", "Yara", "Yusuf", "Zoe",
}

var lastNames = []string{
	"Abe", "Adeyemi", "Alvarez", "Berg", "Costa", "Dubois", "Eriksson", "Fischer", "Garcia", "Haddad",
	"Ito", "Jansen", "Kaur", "Kowalski", "Larsen", "Lopez", "Moreau", "Nakamura", "Novak", "Okafor",
	"Park", "Patel", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Tanaka", "Usman", "Varga",
	"Wagner", "Wang", "Weber", "Yilmaz", "Zhang", "Zielinski",
}

var companyDomains = []string{"northwind.ai", "acme-analytics.com", "bluefin.io", "lumen-labs.dev"}

var projectNames = []string{
	"Customer Support Bot", "Search Relevance", "Data Platform", "Marketing Copy", "Internal Tools",
	"Mobile App", "Research Sandbox", "Billing Assistant", "Docs QA", "Sales Insights",
}

var serviceAccountNames = []string{
	"ci-deployer", "batch-runner", "etl-pipeline", "eval-harness", "support-bot", "nightly-reports",
}

var keyNames = []string{
	"production", "staging", "local dev", "notebooks", "backend", "evals", "batch jobs", "demo",
}

var groupNames = []string{
	"Engineering", "Data Science", "Support Team", "Finance", "Platform", "Security",
	"Product", "Marketing", "Research", "Sales Engineering", "Contractors", "Leadership",
}

var certNames = []string{"Corporate mTLS", "Edge Proxy 2025", "Partner Gateway", "Internal CA", "BYOK Gateway"}

var userAgents = []string{
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
}

// rateLimitModels lists models with their default per-minute limits.
var rateLimitModels = []struct {
	model    string
	rpm, tpm int
	images   int // max_images_per_1_minute, 0 = absent
	audioMB  int // max_audio_megabytes_per_1_minute, 0 = absent
	batchTok int // batch_1_day_max_input_tokens, 0 = absent
}{
	{"gpt-4o", 10000, 30000000, 0, 0, 5000000000},
	{"gpt-4o-mini", 30000, 150000000, 0, 0, 15000000000},
	{"gpt-4.1", 10000, 30000000, 0, 0, 5000000000},
	{"gpt-4.1-mini", 30000, 150000000, 0, 0, 15000000000},
	{"o3", 10000, 30000000, 0, 0, 5000000000},
	{"o4-mini", 30000, 150000000, 0, 0, 15000000000},
	{"text-embedding-3-small", 10000, 10000000, 0, 0, 4000000000},
	{"gpt-image-1", 250, 3000000, 250, 0, 0},
	{"dall-e-3", 500, 0, 50, 0, 0},
	{"whisper-1", 500, 0, 0, 100, 0},
	{"tts-1", 500, 0, 0, 50, 0},
}

var chatModels = []string{"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3", "o4-mini", "gpt-5", "gpt-5-mini"}
