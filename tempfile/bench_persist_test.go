//go:build linux

package tempfile_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// BenchmarkPersist: NewFile, then Persist over an existing target in the
// same directory (the descriptor-exchanging path), then Close.
func BenchmarkPersist(b *testing.B) {
	dir := benchDir(b)
	dst := filepath.Join(dir, "final")
	b.ReportAllocs()
	for b.Loop() {
		f, err := tempfile.NewFile(tempfile.Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Persist(dst); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkPersistNoClobber: NewFile, then PersistNoClobber to a fresh
// name (the descriptor-linking path), then Close.
func BenchmarkPersistNoClobber(b *testing.B) {
	dir := benchDir(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		f, err := tempfile.NewFile(tempfile.Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.PersistNoClobber(filepath.Join(dir, "final"+strconv.Itoa(i))); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkWriteFile: WriteFile of 4 KiB over an existing file.
func BenchmarkWriteFile(b *testing.B) {
	dir := benchDir(b)
	dst := filepath.Join(dir, "final")
	data := make([]byte, 4<<10)
	b.ReportAllocs()
	for b.Loop() {
		if err := tempfile.WriteFile(dst, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
