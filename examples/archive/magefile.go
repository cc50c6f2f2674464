//go:build mage

// An example build: `build` renders a small site into a scope, packs it
// into a .tar.gz in memory, and installs the archive atomically as
// dist/site.tar.gz. Whatever happens, the scratch files go with the scope.
//
//	go tool mage -d examples/archive -w . build
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	//mage:import
	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

var pages = map[string]string{
	"index.html":     "<h1>Home</h1>\n",
	"about.html":     "<h1>About</h1>\n",
	"css/site.css":   "body { font-family: sans-serif }\n",
	"blog/first.txt": "Hello, world.\n",
}

// Build renders the site in a scope and writes dist/site.tar.gz atomically.
func Build(ctx context.Context) error {
	return mgtemp.With(ctx, func(ctx context.Context, tmp *tempfile.Scope) error {
		site, err := tmp.Mkdir(".site")
		if err != nil {
			return err
		}
		for name, body := range pages {
			p := filepath.Join(site, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
				return err
			}
		}
		data, n, err := pack(site)
		if err != nil {
			return err
		}
		if err := os.MkdirAll("dist", 0o755); err != nil {
			return err
		}
		if err := tempfile.WriteFile(filepath.Join("dist", "site.tar.gz"), data, 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote dist/site.tar.gz: %d files\n", n)
		return nil
	})
}

// pack returns the tree under dir as a gzipped tar, and how many files
// it holds.
func pack(dir string) ([]byte, int, error) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if err := tw.WriteHeader(&tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(body))}); err != nil {
			return err
		}
		_, err = tw.Write(body)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = gz.Close()
	}
	if err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), n, nil
}
