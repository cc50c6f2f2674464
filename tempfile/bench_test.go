//go:build linux

package tempfile_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/magekit/temp/tempfile"
)

// benchDir points Dir() at a fresh directory on tmpfs.
func benchDir(b *testing.B) string { return fastTmp(b) }

var floorSeq atomic.Uint64

// floorOnce is the floor: what the kernel charges for an exclusive create,
// close and unlink, through raw syscalls with no Go file object.
func floorOnce(b *testing.B, dir string) {
	name := dir + "/f" + strconv.FormatUint(floorSeq.Add(1), 10)
	fd, err := unix.Open(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	unix.Close(fd)
	if err := unix.Unlink(name); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkFloor(b *testing.B) {
	dir := benchDir(b)
	b.ReportAllocs()
	for b.Loop() {
		floorOnce(b, dir)
	}
}

// BenchmarkLeastOSFile is the floor plus what any function returning an
// *os.File adds: os.NewFile, File.Close and the caller's os.Remove. It is
// the reference CreateTemp is held to.
func BenchmarkLeastOSFile(b *testing.B) {
	dir := benchDir(b)
	b.ReportAllocs()
	for b.Loop() {
		name := dir + "/f" + strconv.FormatUint(floorSeq.Add(1), 10)
		fd, err := unix.Open(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		if err != nil {
			b.Fatal(err)
		}
		os.NewFile(uintptr(fd), name).Close()
		if err := os.Remove(name); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawTmpfile is what the kernel charges for an O_TMPFILE open
// and close, the reference TemporaryFile is held to.
func BenchmarkRawTmpfile(b *testing.B) {
	dir := benchDir(b)
	b.ReportAllocs()
	for b.Loop() {
		fd, err := unix.Open(dir, unix.O_RDWR|unix.O_TMPFILE|unix.O_EXCL|unix.O_CLOEXEC, 0o600)
		if err != nil {
			b.Fatal(err)
		}
		unix.Close(fd)
	}
}

func BenchmarkCreateTemp(b *testing.B) {
	benchDir(b)
	b.ReportAllocs()
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
				b.Fatal(err)
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

// BenchmarkScopeFiles is a scope's whole life per 500 files: create them,
// then Cleanup; ns/op is per file.
func BenchmarkScopeFiles(b *testing.B) {
	benchDir(b)
	const files = 500
	b.ReportAllocs()
	for b.Loop() {
		s, err := tempfile.NewScope("bench")
		if err != nil {
			b.Fatal(err)
		}
		for range files {
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
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*files), "ns/file")
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
