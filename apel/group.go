package apel

// groupBy splits xs by key, each group in the order of xs. The store reads
// records in the order the reports group them (check-ins by session, staff
// by OPD), so when every key's elements are contiguous in xs the groups are
// subslices of xs, capped at their length so that an append copies: a
// 50,000-ASN day is grouped without copying its 100,000 check-ins. Otherwise
// each group is a new slice. The groups share xs's elements: callers must
// not change them in place.
func groupBy[T any, K comparable](xs []T, key func(*T) K) map[K][]T {
	out := make(map[K][]T)
	start := 0
	for i := 1; i <= len(xs); i++ {
		if i < len(xs) && key(&xs[i]) == key(&xs[start]) {
			continue
		}
		k := key(&xs[start])
		if _, seen := out[k]; seen {
			return groupByCopy(xs, key)
		}
		out[k] = xs[start:i:i]
		start = i
	}
	return out
}

// groupByCopy is groupBy for keys that are not contiguous in xs.
func groupByCopy[T any, K comparable](xs []T, key func(*T) K) map[K][]T {
	out := make(map[K][]T)
	for i := range xs {
		k := key(&xs[i])
		out[k] = append(out[k], xs[i])
	}
	return out
}
