package apel

import (
	"reflect"
	"slices"
	"testing"
)

func TestGroupBy(t *testing.T) {
	t.Parallel()
	type rec struct {
		k string
		n int
	}
	key := func(r *rec) string { return r.k }
	tests := []struct {
		name   string
		in     []rec
		want   map[string][]rec
		shared bool // the groups are subslices of in
	}{
		{"empty", nil, map[string][]rec{}, true},
		{"one", []rec{{"a", 1}}, map[string][]rec{"a": {{"a", 1}}}, true},
		{"contiguous", []rec{{"a", 1}, {"a", 2}, {"b", 3}, {"c", 4}, {"c", 5}},
			map[string][]rec{"a": {{"a", 1}, {"a", 2}}, "b": {{"b", 3}}, "c": {{"c", 4}, {"c", 5}}}, true},
		{"interleaved", []rec{{"a", 1}, {"b", 2}, {"a", 3}, {"b", 4}},
			map[string][]rec{"a": {{"a", 1}, {"a", 3}}, "b": {{"b", 2}, {"b", 4}}}, false},
		{"a key returns at the end", []rec{{"a", 1}, {"a", 2}, {"b", 3}, {"a", 4}},
			map[string][]rec{"a": {{"a", 1}, {"a", 2}, {"a", 4}}, "b": {{"b", 3}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := groupBy(tt.in, key)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("groupBy = %v, want %v", got, tt.want)
			}
			for k, g := range got {
				if shared := &g[0] == &tt.in[slices.Index(tt.in, g[0])]; shared != tt.shared {
					t.Errorf("group %q shares the input: %v, want %v", k, shared, tt.shared)
				}
				// An append to a group must never write into the input or
				// another group.
				before := append([]rec(nil), tt.in...)
				_ = append(g, rec{"z", 99})
				if !reflect.DeepEqual(tt.in, before) {
					t.Fatalf("append to group %q changed the input: %v", k, tt.in)
				}
			}
		})
	}
}
