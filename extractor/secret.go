package extractor

import (
	"log/slog"
	"strings"
)

// Secret is an API key. It prints as a redacted form everywhere: fmt, slog,
// errors. Only Reveal gives the key, for the Authorization header.
type Secret string

func (s Secret) String() string       { return Redact(string(s)) }
func (s Secret) GoString() string     { return Redact(string(s)) }
func (s Secret) LogValue() slog.Value { return slog.StringValue(Redact(string(s))) }

// Reveal returns the key itself. Call it only to build the Authorization header.
func (s Secret) Reveal() string { return string(s) }

// Redact shortens a key to its kind prefix and last four characters:
// "sk-admin-…abcd". Anything shorter than 12 characters becomes "…".
func Redact(key string) string {
	if len(key) < 12 {
		return "…"
	}
	return kind(key) + "…" + key[len(key)-4:]
}

// kind is a key's kind prefix: "sk-admin-", "sk-proj-", "sk-svcacct-", or
// "sk-".
func kind(key string) string {
	for _, p := range []string{"sk-admin-", "sk-proj-", "sk-svcacct-"} {
		if strings.HasPrefix(key, p) {
			return p
		}
	}
	return "sk-"
}

// scrub removes every occurrence of the key from text, and of the key cut
// short (an echo in a body or message that was truncated): from its first
// 16 characters to the end of the token.
func (s Secret) scrub(text string) string {
	if len(s) < 8 {
		return text
	}
	text = strings.ReplaceAll(text, string(s), Redact(string(s)))
	if len(s) < 20 {
		return text
	}
	head := string(s)[:16]
	for {
		i := strings.Index(text, head)
		if i < 0 {
			return text
		}
		j := i + len(head)
		for j < len(text) && keyChar(text[j]) {
			j++
		}
		text = text[:i] + kind(string(s)) + "…" + text[j:]
	}
}

// keyChar reports whether c can be part of an API key.
func keyChar(c byte) bool {
	return c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
