package sandbox

// buildModels returns the org-wide model list: the same for every project key
// and every seed, in the order /models lists it.
func buildModels() []modelJSON {
	list := []struct {
		id       string
		created  int64
		owner    string
		shutdown string
	}{
		{"gpt-5", 1754425777, "system", ""},
		{"gpt-5-mini", 1754425928, "system", ""},
		{"gpt-5-nano", 1754426384, "system", ""},
		{"gpt-4.1", 1744316542, "system", ""},
		{"gpt-4.1-mini", 1744318173, "system", ""},
		{"gpt-4.1-nano", 1744321707, "system", ""},
		{"gpt-4.1-2025-04-14", 1744315746, "system", ""},
		{"gpt-4.1-mini-2025-04-14", 1744317547, "system", ""},
		{"gpt-4o", 1715367049, "system", ""},
		{"gpt-4o-2024-08-06", 1722814719, "system", ""},
		{"gpt-4o-mini", 1721172741, "system", ""},
		{"gpt-4o-mini-2024-07-18", 1721172717, "system", ""},
		{"o3", 1744225308, "system", ""},
		{"o4-mini", 1744225351, "system", ""},
		{"gpt-4.5-preview", 1740623059, "system", "2025-07-14"},
		{"text-embedding-3-small", 1705948997, "system", ""},
		{"text-embedding-3-large", 1705953180, "system", ""},
		{"text-embedding-ada-002", 1671217299, "openai-internal", ""},
		{"gpt-image-1", 1745517030, "system", ""},
		{"dall-e-3", 1698785189, "system", ""},
		{"whisper-1", 1677532384, "openai-internal", ""},
		{"tts-1", 1681940951, "openai-internal", ""},
		{"omni-moderation-latest", 1731689265, "system", ""},
		{"babbage-002", 1692634615, "system", "2026-09-28"},
	}
	out := make([]modelJSON, len(list))
	for i, m := range list {
		out[i] = modelJSON{ID: m.id, Object: "model", Created: m.created, OwnedBy: m.owner}
		if m.shutdown != "" {
			out[i].ShutdownDate = ptr(m.shutdown)
		}
	}
	return out
}
