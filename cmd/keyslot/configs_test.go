package main

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The example files in configs/ are loaded through the same loader as a
// real start, must be accepted, must hold every key, and must equal the
// defaults, so that what they say about defaults stays true.
func TestExampleConfigs(t *testing.T) {
	dir := filepath.Join("..", "..", "configs")
	tests := []struct {
		file string
		load func(t *testing.T, path string) (got, want, dst any)
	}{
		{"node.yaml", func(t *testing.T, p string) (any, any, any) {
			st, err := parseNode(t, "--config", p)
			if err != nil {
				t.Fatal(err)
			}
			return st, defaultNodeSettings(), &nodeSettings{}
		}},
		{"proxy.yaml", func(t *testing.T, p string) (any, any, any) {
			st, err := parseProxy(t, "--config", p)
			if err != nil {
				t.Fatal(err)
			}
			return st, defaultProxySettings(), &proxySettings{}
		}},
		{"local.yaml", func(t *testing.T, p string) (any, any, any) {
			fs := newFlagSet(addLocalFlags)
			if err := fs.Parse([]string{"--config", p}); err != nil {
				t.Fatal(err)
			}
			st, err := loadLocalSettings(fs)
			if err != nil {
				t.Fatal(err)
			}
			return st, defaultLocalSettings(), &localSettings{}
		}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			clearEnv(t)
			p := filepath.Join(dir, tt.file)
			got, want, dst := tt.load(t, p)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s loads as\n  %+v\nbut the defaults are\n  %+v", tt.file, got, want)
			}

			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := yaml.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			for _, f := range fieldsOf(dst) {
				if _, ok := doc[f.key]; !ok {
					t.Errorf("%s does not list key %q", tt.file, f.key)
				}
				if !hasCommentAbove(string(b), f.key) {
					t.Errorf("%s: key %q has no comment above it", tt.file, f.key)
				}
			}
		})
	}
	// A new example file must be added to this test.
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s is not checked by this test", f)
		}
	}
	if len(files) == 0 {
		t.Fatal("no configs/*.yaml found")
	}
}

// hasCommentAbove reports whether the line setting key is directly below a
// comment line.
func hasCommentAbove(body, key string) bool {
	lines := strings.Split(body, "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, key+":") })
	return i > 0 && strings.HasPrefix(lines[i-1], "#")
}
