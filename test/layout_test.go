package test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/keyslot/keyslot"

// forbidden lists, per package tree, the package trees it must never depend
// on, directly or through another package (DESIGN.md, "Layout").
var forbidden = map[string][]string{
	"proxy":   {"backend"},
	"backend": {"proxy"},
	"router":  {"backend", "proxy"},
	"cluster": {"router", "backend", "proxy"},
}

// allowedExternal lists the only non-standard-library modules a package tree
// may depend on, where DESIGN.md restricts it.
var allowedExternal = map[string][]string{
	"internal/resp": {"github.com/tidwall/resp"},
}

type goPackage struct {
	ImportPath string
	Name       string
	Dir        string
	Standard   bool
	Deps       []string
	GoFiles    []string
}

func listPackages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p goPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// inTree reports whether import path p is the tree rel of this module or
// below it.
func inTree(p, rel string) bool {
	root := module + "/" + rel
	return p == root || strings.HasPrefix(p, root+"/")
}

func TestLayout(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	for _, p := range pkgs {
		for tree, banned := range forbidden {
			if !inTree(p.ImportPath, tree) {
				continue
			}
			for _, dep := range p.Deps {
				for _, b := range banned {
					if inTree(dep, b) {
						t.Errorf("%s depends on %s: %s must never import %s", p.ImportPath, dep, tree, b)
					}
				}
			}
		}
		for tree, allowed := range allowedExternal {
			if !inTree(p.ImportPath, tree) {
				continue
			}
			for _, dep := range p.Deps {
				if isStandard(dep) || strings.HasPrefix(dep, module+"/") {
					continue
				}
				ok := false
				for _, a := range allowed {
					if dep == a || strings.HasPrefix(dep, a+"/") {
						ok = true
					}
				}
				if !ok {
					t.Errorf("%s depends on %s: %s may import only the standard library and %v", p.ImportPath, dep, tree, allowed)
				}
			}
		}
	}
}

// TestEveryPackageHasDoc checks that each package says what it owns in a
// doc.go (commands are documented by their main file).
func TestEveryPackageHasDoc(t *testing.T) {
	for _, p := range listPackages(t) {
		if p.Name == "main" || len(p.GoFiles) == 0 {
			continue
		}
		if _, err := os.Stat(filepath.Join(p.Dir, "doc.go")); err != nil {
			t.Errorf("%s has no doc.go", p.ImportPath)
		}
	}
}

// isStandard reports whether an import path belongs to the standard library:
// its first element has no dot.
func isStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
