//go:build linux

package tempfile_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/magekit/temp/tempfile"
)

// The package's benchmarks, each on tmpfs (fastTmp). `go tool mage bench`
// runs them with the references of bench_internal_test.go and judges the
// ratios against its goals.

// benchDir points Dir() at a fresh directory on tmpfs.
func benchDir(b *testing.B) string { return fastTmp(b) }

// BenchmarkCreateTemp is CreateTemp+Close+os.Remove. Besides -benchmem's
// allocs/op, which rounds down, it reports the exact average as
// mallocs/op: one name block (see newBytes) every few dozen names shows there.
func BenchmarkCreateTemp(b *testing.B) {
	benchDir(b)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		f, err := tempfile.CreateTemp(tempfile.Options{})
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
		if err := os.Remove(f.Name()); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N), "mallocs/op")
}

// BenchmarkOSCreateTemp is the peer: the standard library's way.
func BenchmarkOSCreateTemp(b *testing.B) {
	dir := benchDir(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.CreateTemp(dir, "")
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
		if err := os.Remove(f.Name()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewFile(b *testing.B) {
	benchDir(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := tempfile.NewFile(tempfile.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTemporaryFile(b *testing.B) {
	benchDir(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := tempfile.TemporaryFile("")
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

func BenchmarkCreateTempParallel(b *testing.B) {
	benchDir(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			f, err := tempfile.CreateTemp(tempfile.Options{})
			if err != nil {
				b.Error(err)
				return
			}
			f.Close()
			os.Remove(f.Name())
		}
	})
}

func BenchmarkMktemp(b *testing.B) {
	benchDir(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tempfile.Mktemp(""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScopeFiles is a scope's whole life per tempfile.ScopeFiles
// files: NewScope, the files, then Cleanup. It reports ns/file.
func BenchmarkScopeFiles(b *testing.B) {
	benchDir(b)
	b.ReportAllocs()
	for b.Loop() {
		s, err := tempfile.NewScope("bench")
		if err != nil {
			b.Fatal(err)
		}
		for range tempfile.ScopeFiles {
			f, err := s.File("")
			if err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
		if err := s.Cleanup(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*tempfile.ScopeFiles), "ns/file")
}

// fillTree makes 100 directories of 10 files each under root.
func fillTree(b *testing.B, root string) {
	for d := range 100 {
		dir := filepath.Join(root, "d"+strconv.Itoa(d))
		if err := os.Mkdir(dir, 0o700); err != nil {
			b.Fatal(err)
		}
		for f := range 10 {
			fd, err := unix.Open(dir+"/f"+strconv.Itoa(f), unix.O_CREAT|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
			if err != nil {
				b.Fatal(err)
			}
			unix.Close(fd)
		}
	}
}

// BenchmarkScopeCleanupTree times only the Cleanup of a scope holding 100
// directories of 10 files each.
func BenchmarkScopeCleanupTree(b *testing.B) {
	benchDir(b)
	for b.Loop() {
		b.StopTimer()
		s, err := tempfile.NewScope("tree")
		if err != nil {
			b.Fatal(err)
		}
		fillTree(b, s.Path())
		b.StartTimer()
		if err := s.Cleanup(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRmRfTree times `rm -rf` of the same tree, start to exit.
func BenchmarkRmRfTree(b *testing.B) {
	dir := benchDir(b)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		root := filepath.Join(dir, "t"+strconv.Itoa(i))
		if err := os.Mkdir(root, 0o700); err != nil {
			b.Fatal(err)
		}
		fillTree(b, root)
		b.StartTimer()
		if out, err := exec.Command("rm", "-rf", root).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}
