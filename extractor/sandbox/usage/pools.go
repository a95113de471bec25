package usage

import "strconv"

// pools are the identifiers usage rows refer to.
type pools struct {
	projects, users, keys, stores []string
}

func newPools(o Options) pools {
	return pools{
		projects: orMadeUp(o.ProjectIDs, o.Seed, "proj_", 24, 4),
		users:    orMadeUp(o.UserIDs, o.Seed, "user-", 24, 5),
		keys:     orMadeUp(o.APIKeyIDs, o.Seed, "key_", 16, 6),
		stores:   orMadeUp(o.VectorStoreIDs, o.Seed, "vs_", 24, 8),
	}
}

// orMadeUp returns a copy of ids, or n made-up ids when ids is empty.
func orMadeUp(ids []string, seed int64, prefix string, length, n int) []string {
	if len(ids) > 0 {
		return append([]string(nil), ids...)
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	out := make([]string, n)
	for i := range out {
		r := newRNG(seed, "id", prefix, strconv.Itoa(i))
		b := []byte(prefix)
		for range length {
			b = append(b, alphabet[r.intn(len(alphabet))])
		}
		out[i] = string(b)
	}
	return out
}
