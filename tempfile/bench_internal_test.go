//go:build linux

package tempfile

import (
	"os"
	"strconv"
	"sync"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The reference workloads: the same work as the package's, done with the
// fewest syscalls ("raw"), or with those plus what any function returning
// an *os.File must add, os.NewFile and File.Close ("least"). They live in
// the package to reach the kernel the way it does (openat and unlinkat on
// NUL-terminated names, read in place), and their names are made before
// the clock starts: they pay nothing for names, so what the package adds
// over them is its names, options and bookkeeping. `go tool mage bench`
// divides the package's benchmarks by these.

const floorFlags = unix.O_RDWR | unix.O_CREAT | unix.O_EXCL | unix.O_NOFOLLOW | unix.O_CLOEXEC

// shmDir is a fresh directory on tmpfs (where there is one), removed after b.
func shmDir(b *testing.B) string {
	base := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		base = "/dev/shm"
	}
	d, err := os.MkdirTemp(base, "tempfile-bench")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// refNames makes n names "<dir>/f0", "<dir>/f1"... (or bare "f0"... if dir
// is ""), each followed by a NUL in memory as a genName must be.
func refNames(dir string, n int) []genName {
	var buf []byte
	ends := make([]int, n)
	for i := range n {
		if dir != "" {
			buf = append(buf, dir+"/"...)
		}
		buf = strconv.AppendInt(append(buf, 'f'), int64(i), 10)
		ends[i] = len(buf)
		buf = append(buf, 0)
	}
	names := make([]genName, n)
	start := 0
	for i, end := range ends {
		names[i] = genName{unsafe.String(&buf[start], end-start)}
		start = end + 1
	}
	return names
}

// cName returns s as a genName: a copy followed by a NUL.
func cName(s string) genName {
	p := append([]byte(s), 0)
	return genName{unsafe.String(&p[0], len(s))}
}

// ring is how many names the single-file references cycle through: each
// file is unlinked before its name comes round again.
const ring = 4096

// floorOnce creates, closes and unlinks name with raw syscalls.
func floorOnce(name genName) error {
	fd, err := openat(unix.AT_FDCWD, name, floorFlags, 0o600)
	if err != nil {
		return err
	}
	unix.Close(fd)
	return unlinkat(unix.AT_FDCWD, name)
}

// BenchmarkFloor is what the kernel charges for an exclusive create, a
// close and an unlink, through raw syscalls with no Go file object.
func BenchmarkFloor(b *testing.B) {
	names := refNames(shmDir(b), ring)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := floorOnce(names[i%ring]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLeastOSFile is the floor plus what any function returning an
// *os.File adds: os.NewFile (an fcntl and two allocations), File.Close,
// and the caller's os.Remove. CreateTemp is held to it.
func BenchmarkLeastOSFile(b *testing.B) {
	names := refNames(shmDir(b), ring)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		n := names[i%ring]
		fd, err := openat(unix.AT_FDCWD, n, floorFlags, 0o600)
		if err != nil {
			b.Fatal(err)
		}
		os.NewFile(uintptr(fd), n.s).Close()
		if err := os.Remove(n.s); err != nil {
			b.Fatal(err)
		}
	}
}

const tmpfileFlags = unix.O_RDWR | unix.O_TMPFILE | unix.O_EXCL | unix.O_CLOEXEC

// tmpfileBench opens and closes O_TMPFILE files, through an *os.File if
// asFile.
func tmpfileBench(b *testing.B, asFile bool) {
	d := shmDir(b)
	dir := cName(d)
	b.ReportAllocs()
	for b.Loop() {
		fd, err := openat(unix.AT_FDCWD, dir, tmpfileFlags, 0o600)
		if err != nil {
			b.Fatal(err)
		}
		closeFD(fd, d, asFile)
	}
}

// BenchmarkRawTmpfile is what the kernel charges for an O_TMPFILE open
// and close.
func BenchmarkRawTmpfile(b *testing.B) { tmpfileBench(b, false) }

// BenchmarkLeastTmpfile is the least an unnamed *os.File can cost: an
// O_TMPFILE open, os.NewFile and Close. TemporaryFile is held to it.
func BenchmarkLeastTmpfile(b *testing.B) { tmpfileBench(b, true) }

// closeFD closes fd, through an *os.File named name if asFile.
func closeFD(fd int, name string, asFile bool) {
	if asFile {
		os.NewFile(uintptr(fd), name).Close()
	} else {
		unix.Close(fd)
	}
}

// ScopeFiles is how many files each scope of the scope benchmarks holds.
const ScopeFiles = 500

// scopeFilesBench is a scope's files with the fewest syscalls: make a
// directory, create ScopeFiles files in it through its descriptor (closed
// through an *os.File if asFile, as Scope.File's callers do), then unlink
// them all and the directory. It leaves out what a scope adds: its lock
// file, the checks on its parent, making the names and remembering them.
// It reports ns/file, as BenchmarkScopeFiles does.
func scopeFilesBench(b *testing.B, asFile bool) {
	base := shmDir(b)
	names := refNames("", ScopeFiles)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d := base + "/b" + strconv.Itoa(i)
		if err := unix.Mkdir(d, 0o700); err != nil {
			b.Fatal(err)
		}
		dfd, err := unix.Open(d, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range names {
			fd, err := openat(dfd, n, floorFlags, 0o600)
			if err != nil {
				b.Fatal(err)
			}
			closeFD(fd, n.s, asFile)
		}
		for _, n := range names {
			if err := unlinkat(dfd, n); err != nil {
				b.Fatal(err)
			}
		}
		unix.Close(dfd)
		if err := unix.Rmdir(d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*ScopeFiles), "ns/file")
}

// BenchmarkRawScopeFiles: ScopeFiles creates, then as many unlinks, in a
// directory of their own, through its descriptor.
func BenchmarkRawScopeFiles(b *testing.B) { scopeFilesBench(b, false) }

// BenchmarkLeastScopeFiles is the same with each file wrapped in an
// *os.File and closed through it: the reference for Scope.File.
func BenchmarkLeastScopeFiles(b *testing.B) { scopeFilesBench(b, true) }

// goroutinesBench splits b.N operations over g goroutines, each in a
// directory of its own (files in one directory serialise on its lock in
// the kernel, the floor's included). ns/op is wall time per operation, so
// ns/op(g=1) / ns/op(g=2) is the speed-up.
func goroutinesBench(b *testing.B, op func(dir string, names []genName, i int) error) {
	for _, g := range []int{1, 2} {
		b.Run("g="+strconv.Itoa(g), func(b *testing.B) {
			base := shmDir(b)
			dirs := make([]string, g)
			names := make([][]genName, g)
			for i := range dirs {
				dirs[i] = base + "/g" + strconv.Itoa(i)
				if err := os.Mkdir(dirs[i], 0o700); err != nil {
					b.Fatal(err)
				}
				names[i] = refNames(dirs[i], ring)
			}
			b.ResetTimer()
			var wg sync.WaitGroup
			errs := make([]error, g)
			for i := range g {
				wg.Go(func() {
					for j := 0; j < b.N/g && errs[i] == nil; j++ {
						errs[i] = op(dirs[i], names[i], j)
					}
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCreateTempGoroutines is CreateTemp+Close+os.Remove from one
// goroutine and from two.
func BenchmarkCreateTempGoroutines(b *testing.B) {
	goroutinesBench(b, func(dir string, _ []genName, _ int) error {
		f, err := CreateTemp(Options{Dir: dir})
		if err != nil {
			return err
		}
		f.Close()
		return os.Remove(f.Name())
	})
}

// BenchmarkFloorGoroutines is the floor from one goroutine and from two:
// how far the machine itself scales.
func BenchmarkFloorGoroutines(b *testing.B) {
	goroutinesBench(b, func(_ string, names []genName, i int) error {
		return floorOnce(names[i%ring])
	})
}
