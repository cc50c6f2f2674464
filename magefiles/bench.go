//go:build mage && linux

package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"text/tabwriter"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/magekit/temp/tempfile"
)

// Bench runs the ratio suite: each measure against the raw-syscall floor
// or a peer, alternating in chunks in this one process, on /dev/shm. Each
// timing row comes with references: the same work with the fewest
// syscalls, raw and through the os.NewFile and File.Close that any
// function returning an *os.File must add ("least"), so that what the
// package adds can be told from what the kernel charges. A report, not a
// test.
func Bench() error {
	base, where := "/dev/shm", "/dev/shm (tmpfs)"
	if fi, err := os.Stat(base); err != nil || !fi.IsDir() {
		base, where = os.TempDir(), os.TempDir()+" (no /dev/shm here: expect noise)"
	}
	dir, err := os.MkdirTemp(base, "mgtemp-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tempfile.SetDir(dir)
	defer tempfile.SetDir("")

	fmt.Printf("ratio suite in %s; %s/%s, %d CPUs, %s\n", where, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	fmt.Printf("each ratio is the median over %d chunks in which the variants it compares take turns\n", chunks)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "MEASURE\tVALUE\tGOAL\tRESULT")
	row := func(name string, v float64, unit, goal string, ok bool) {
		res := "pass"
		if !ok {
			res = "FAIL"
		}
		switch goal {
		case "":
			goal, res = "-", "(peer)"
		case "ref":
			goal, res = "-", "(reference)"
		}
		fmt.Fprintf(w, "%s\t%.2f%s\t%s\t%s\n", name, v, unit, goal, res)
	}
	f := &floor{dir: dir}

	r, err := compare(500, f.run, createTemp, f.least(), osCreateTemp(dir))
	if err != nil {
		return err
	}
	row("CreateTemp+Close+remove / floor", r[0], "", "<= 1.10", r[0] <= 1.10)
	row("  least for an *os.File / floor", r[1], "", "ref", true)
	row("os.CreateTemp+Close+Remove / floor", r[2], "", "", true)

	r, err = compare(500, f.run, temporaryFile, f.tmpfile(true), f.tmpfile(false))
	if err != nil {
		return err
	}
	row("TemporaryFile+Close / floor", r[0], "", "<= 0.80", r[0] <= 0.80)
	row("  least for an *os.File / floor", r[1], "", "ref", true)
	row("  raw O_TMPFILE open+close / floor", r[2], "", "ref", true)

	r, err = compare(500, f.run, scopeFiles, f.batch(true), f.batch(false))
	if err != nil {
		return err
	}
	row("Scope.File x500 + Cleanup, per file / floor", r[0], "", "<= 1.15", r[0] <= 1.15)
	row("  least for an *os.File / floor", r[1], "", "ref", true)
	row("  raw: 500 creates, then 500 unlinks / floor", r[2], "", "ref", true)

	r, err = compare(1, rmTree(dir), cleanupTree())
	if err != nil {
		return err
	}
	row("Cleanup of 1,000 files + 100 dirs / rm -rf", r[0], "", "<= 0.90", r[0] <= 0.90)

	allocs := testing.AllocsPerRun(2000, func() { createTemp(1) })
	row("allocs per CreateTemp+Close+remove", allocs, "", "<= 3", allocs <= 3)
	row("  the same, exact average (name blocks counted)", exactAllocs(10000, func() { createTemp(1) }), "", "ref", true)
	wrap, err := newFileAllocs()
	if err != nil {
		return err
	}
	row("  os.NewFile+Close alone (the caller's os.Remove: +1)", wrap, "", "ref", true)
	osAllocs := testing.AllocsPerRun(2000, func() { osCreateTemp(dir)(1) })
	row("allocs per os.CreateTemp+Close+Remove", osAllocs, "", "", true)

	// Two goroutines, each in a directory of its own: files in one
	// directory serialise on its lock in the kernel, floor included.
	dirs := []string{filepath.Join(dir, "g0"), filepath.Join(dir, "g1")}
	for _, d := range dirs {
		if err := os.Mkdir(d, 0o700); err != nil {
			return err
		}
	}
	floors := map[string]*floor{dirs[0]: {dir: dirs[0]}, dirs[1]: {dir: dirs[1]}}
	one := func(n int) error { return createTempIn(dirs[0], n) }
	// Same n for both: two goroutines do n/2 each, so time(1)/time(2) is the speed-up.
	r, err = compare(1000, parallel(dirs, createTempIn), one)
	if err != nil {
		return err
	}
	row("CreateTemp ops/s, 2 goroutines / 1", r[0], "x", ">= 1.5x", r[0] >= 1.5)
	r, err = compare(1000, parallel(dirs, func(d string, n int) error { return floors[d].run(n) }), floors[dirs[0]].run)
	if err != nil {
		return err
	}
	row("floor ops/s, 2 goroutines / 1", r[0], "x", "", true)

	ns, al, err := makeNameCost()
	if err != nil {
		return err
	}
	row("Mktemp name generation", ns, " ns", "<= 100 ns", ns <= 100)
	row("Mktemp name generation, allocs", al, "", "<= 1", al <= 1)
	return w.Flush()
}

// chunks is how many rounds compare runs. Each round runs every variant
// once, which cancels the drift of a machine's speed that back-to-back
// runs suffer. Rounds go forwards and backwards through the list in turn,
// and each pair of rounds starts one variant further along, so that every
// variant runs first as often as any other, and no variant always runs in
// the wake of the same other: each follows its two neighbours in the list
// equally often.
const chunks = 101

// compare runs base and the others in turn, chunks times n operations
// each, and returns for every other the median over the rounds of
// time(other)/time(base), rounded as printed (and judged).
func compare(n int, base any, others ...any) ([]float64, error) {
	vs := []timedFunc{clock(base)}
	for _, v := range others {
		vs = append(vs, clock(v))
	}
	ds := make([]time.Duration, len(vs))
	rs := make([][]float64, len(others))
	for round := -1; round < chunks; round++ { // round -1 warms up
		for j := range vs {
			if round&1 != 0 { // odd rounds go backwards
				j = len(vs) - 1 - j
			}
			i := (j + len(vs) + round/2) % len(vs)
			d, err := vs[i](n)
			if err != nil {
				return nil, err
			}
			ds[i] = d
		}
		for i := range others {
			if round >= 0 {
				rs[i] = append(rs[i], float64(ds[i+1])/float64(ds[0]))
			}
		}
	}
	med := make([]float64, len(others))
	for i, r := range rs {
		slices.Sort(r)
		med[i] = math.Round(r[len(r)/2]*100) / 100
	}
	return med, nil
}

// timedFunc runs n operations and says how long the part that counts took.
type timedFunc func(n int) (time.Duration, error)

// clock makes a timedFunc of a plain variant, timed whole, or passes a
// timedFunc (one with setup of its own to leave out) through.
func clock(v any) timedFunc {
	switch fn := v.(type) {
	case timedFunc:
		return fn
	case func(int) error:
		return func(n int) (time.Duration, error) {
			start := time.Now()
			err := fn(n)
			return time.Since(start), err
		}
	}
	panic(fmt.Sprintf("bench: variant of type %T", v))
}

// floor is what the kernel charges for an exclusive create, a close and
// an unlink, through raw syscalls with no Go file object.
type floor struct {
	dir string
	seq int
}

const floorFlags = unix.O_RDWR | unix.O_CREAT | unix.O_EXCL | unix.O_NOFOLLOW | unix.O_CLOEXEC

func (f *floor) next() string {
	f.seq++
	return f.dir + "/floor" + strconv.Itoa(f.seq)
}

func (f *floor) run(n int) error {
	for range n {
		name := f.next()
		fd, err := unix.Open(name, floorFlags, 0o600)
		if err != nil {
			return err
		}
		unix.Close(fd)
		if err := unix.Unlink(name); err != nil {
			return err
		}
	}
	return nil
}

// least is the floor plus what any function returning an *os.File adds:
// os.NewFile (an fcntl and two allocations), File.Close, and the caller's
// os.Remove. Its names are made before the clock starts, and the kernel
// reads them in place, so it pays nothing for names at all.
func (f *floor) least() timedFunc {
	return func(n int) (time.Duration, error) {
		names := f.prepare("", n)
		i := 0
		start := time.Now()
		err := createCloseRemove(n, func() (*os.File, error) {
			c := names[i]
			i++
			fd, err := rawOpenat(unix.AT_FDCWD, c.p, floorFlags, 0o600)
			if err != nil {
				return nil, err
			}
			return os.NewFile(uintptr(fd), c.s), nil
		})
		return time.Since(start), err
	}
}

// cname is a name made before the clock starts: as a string for os calls
// and NUL-terminated for raw ones.
type cname struct {
	s string
	p *byte
}

// prepare makes n fresh names in f.dir, or n names "f0", "f1"... for a
// directory of their own if sub is set (then s is sub/name).
func (f *floor) prepare(sub string, n int) []cname {
	cs := make([]cname, n)
	for i := range cs {
		name := "f" + strconv.Itoa(i)
		path := sub + "/" + name
		if sub == "" {
			name = f.next()
			path = name
		}
		p, err := unix.BytePtrFromString(name)
		if err != nil {
			panic(err) // no NUL in these names
		}
		cs[i] = cname{path, p}
	}
	return cs
}

// rawOpenat is openat(2) on a NUL-terminated name, with no copy.
func rawOpenat(dirfd int, p *byte, flags int, perm uint32) (int, error) {
	fd, _, e := unix.Syscall6(unix.SYS_OPENAT, uintptr(dirfd), uintptr(unsafe.Pointer(p)), uintptr(flags), uintptr(perm), 0, 0)
	runtime.KeepAlive(p)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// rawUnlinkat is unlinkat(2) on a NUL-terminated name, with no copy.
func rawUnlinkat(dirfd int, p *byte) error {
	_, _, e := unix.Syscall(unix.SYS_UNLINKAT, uintptr(dirfd), uintptr(unsafe.Pointer(p)), 0)
	runtime.KeepAlive(p)
	if e != 0 {
		return e
	}
	return nil
}

const tmpfileFlags = unix.O_RDWR | unix.O_TMPFILE | unix.O_EXCL | unix.O_CLOEXEC

// tmpfile is what the kernel charges for an O_TMPFILE open and close,
// through an *os.File if asFile: the least a TemporaryFile can cost.
func (f *floor) tmpfile(asFile bool) func(int) error {
	dir, err := unix.BytePtrFromString(f.dir)
	if err != nil {
		panic(err)
	}
	return func(n int) error {
		for range n {
			fd, err := rawOpenat(unix.AT_FDCWD, dir, tmpfileFlags, 0o600)
			if err != nil {
				return err
			}
			closeFD(fd, f.dir, asFile)
		}
		return nil
	}
}

// closeFD closes fd, through an *os.File named name if asFile.
func closeFD(fd int, name string, asFile bool) {
	if asFile {
		os.NewFile(uintptr(fd), name).Close()
	} else {
		unix.Close(fd)
	}
}

// batch is a scope's files with the fewest syscalls and no names to make:
// make a directory, create n files in it through its descriptor (closed
// through an *os.File if asFile, as Scope.File's callers do), then unlink
// them all and the directory. It leaves out what a scope adds: its lock
// file, the checks on its parent, making the names and remembering them.
func (f *floor) batch(asFile bool) timedFunc {
	return func(n int) (time.Duration, error) {
		d := f.next()
		names := f.prepare(d, n)
		start := time.Now()
		if err := unix.Mkdir(d, 0o700); err != nil {
			return 0, err
		}
		dfd, err := unix.Open(d, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return 0, err
		}
		defer unix.Close(dfd)
		for _, c := range names {
			fd, err := rawOpenat(dfd, c.p, floorFlags, 0o600)
			if err != nil {
				return 0, err
			}
			closeFD(fd, c.s, asFile)
		}
		for _, c := range names {
			if err := rawUnlinkat(dfd, c.p); err != nil {
				return 0, err
			}
		}
		err = unix.Rmdir(d)
		return time.Since(start), err
	}
}

func createTemp(n int) error { return createTempIn("", n) }

func createTempIn(dir string, n int) error {
	return createCloseRemove(n, func() (*os.File, error) { return tempfile.CreateTemp(tempfile.Options{Dir: dir}) })
}

func osCreateTemp(dir string) func(int) error {
	return func(n int) error {
		return createCloseRemove(n, func() (*os.File, error) { return os.CreateTemp(dir, "") })
	}
}

// createCloseRemove creates n files with create, closing and removing each.
func createCloseRemove(n int, create func() (*os.File, error)) error {
	for range n {
		f, err := create()
		if err != nil {
			return err
		}
		f.Close()
		if err := os.Remove(f.Name()); err != nil {
			return err
		}
	}
	return nil
}

func temporaryFile(n int) error {
	for range n {
		f, err := tempfile.TemporaryFile("")
		if err != nil {
			return err
		}
		f.Close()
	}
	return nil
}

func scopeFiles(n int) error {
	s, err := tempfile.NewScope("bench")
	if err != nil {
		return err
	}
	for range n {
		f, err := s.File("")
		if err != nil {
			s.Cleanup()
			return err
		}
		f.Close()
	}
	return s.Cleanup()
}

// parallel runs n operations split over a goroutine per directory.
func parallel(dirs []string, fn func(dir string, n int) error) func(int) error {
	return func(n int) error {
		var wg sync.WaitGroup
		errs := make([]error, len(dirs))
		for i, d := range dirs {
			wg.Go(func() { errs[i] = fn(d, n/len(dirs)) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// fillTree makes 100 directories of 10 files each under root (not timed).
func fillTree(root string) error {
	for d := range 100 {
		dir := filepath.Join(root, "d"+strconv.Itoa(d))
		if err := os.Mkdir(dir, 0o700); err != nil {
			return err
		}
		for f := range 10 {
			fd, err := unix.Open(dir+"/f"+strconv.Itoa(f), unix.O_CREAT|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
			if err != nil {
				return err
			}
			unix.Close(fd)
		}
	}
	return nil
}

// cleanupTree times only the Cleanup of a scope holding the tree.
func cleanupTree() timedFunc {
	return func(int) (time.Duration, error) {
		s, err := tempfile.NewScope("tree")
		if err != nil {
			return 0, err
		}
		if err := fillTree(s.Path()); err != nil {
			s.Cleanup()
			return 0, err
		}
		start := time.Now()
		err = s.Cleanup()
		return time.Since(start), err
	}
}

// rmTree times only `rm -rf` of the same tree, start to exit.
func rmTree(dir string) timedFunc {
	seq := 0
	return func(int) (time.Duration, error) {
		seq++
		root := filepath.Join(dir, "rm"+strconv.Itoa(seq))
		if err := os.Mkdir(root, 0o700); err != nil {
			return 0, err
		}
		if err := fillTree(root); err != nil {
			return 0, err
		}
		start := time.Now()
		err := exec.Command("rm", "-rf", root).Run()
		return time.Since(start), err
	}
}

// exactAllocs is the average number of allocations per call of fn, as a
// fraction: testing.AllocsPerRun (like -benchmem) rounds down, which hides
// the one name block (tempfile's arena.go) that every few dozen names cost.
func exactAllocs(runs int, fn func()) float64 {
	fn() // warm up
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		fn()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / float64(runs)
}

// newFileAllocs counts the allocations of wrapping a descriptor in an
// *os.File and closing it: what any function returning one must make.
func newFileAllocs() (float64, error) {
	fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	var derr error
	n := testing.AllocsPerRun(2000, func() {
		d, err := unix.Dup(fd)
		if err != nil {
			derr = err
			return
		}
		os.NewFile(uintptr(d), "/dev/null").Close()
	})
	return n, derr
}

// makeNameCost runs the package's name-generation benchmark.
func makeNameCost() (ns, allocs float64, err error) {
	out, err := exec.Command("go", "test", "-run", "^$", "-bench", "^BenchmarkMakeName$", "-benchmem", "./tempfile").CombinedOutput()
	if err != nil {
		return 0, 0, fmt.Errorf("go test -bench: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`([0-9.]+) ns/op.* ([0-9]+) allocs/op`).FindSubmatch(out)
	if m == nil {
		return 0, 0, fmt.Errorf("no result in:\n%s", out)
	}
	ns, _ = strconv.ParseFloat(string(m[1]), 64)
	allocs, _ = strconv.ParseFloat(string(m[2]), 64)
	return ns, allocs, nil
}
