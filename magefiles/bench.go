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

	"golang.org/x/sys/unix"

	"github.com/magekit/temp/tempfile"
)

// Bench runs the ratio suite: each measure against the raw-syscall floor
// or a peer, alternating in chunks in this one process, on /dev/shm. A report, not a test.
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
	fmt.Println("each ratio is the median over alternating chunks of the two variants")
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "MEASURE\tVALUE\tGOAL\tRESULT")
	row := func(name string, v float64, unit, goal string, ok bool) {
		res := "pass"
		if !ok {
			res = "FAIL"
		}
		if goal == "" {
			goal, res = "-", "(peer)"
		}
		fmt.Fprintf(w, "%s\t%.2f%s\t%s\t%s\n", name, v, unit, goal, res)
	}
	f := floor{dir: dir}

	r, err := ratio(21, 500, createTemp, f.run)
	if err != nil {
		return err
	}
	row("CreateTemp+Close+remove / floor", r, "", "<= 1.10", r <= 1.10)
	r, err = ratio(21, 500, osCreateTemp(dir), f.run)
	if err != nil {
		return err
	}
	row("os.CreateTemp+Close+Remove / floor", r, "", "", true)
	r, err = ratio(21, 500, temporaryFile, f.run)
	if err != nil {
		return err
	}
	row("TemporaryFile+Close / floor", r, "", "<= 0.80", r <= 0.80)
	r, err = ratio(21, 500, scopeFiles, f.run)
	if err != nil {
		return err
	}
	row("Scope.File x500 + Cleanup, per file / floor", r, "", "<= 1.15", r <= 1.15)
	r, err = ratio(11, 1, cleanupTree(), rmTree(dir))
	if err != nil {
		return err
	}
	row("Cleanup of 1,000 files + 100 dirs / rm -rf", r, "", "<= 0.90", r <= 0.90)

	allocs := testing.AllocsPerRun(2000, func() { createTemp(1) })
	row("allocs per CreateTemp+Close+remove", allocs, "", "<= 3", allocs <= 3)
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
	one := func(n int) error { return createTempIn(dirs[0], n) }
	r, err = ratio(21, 1000, one, parallel(dirs, createTempIn))
	if err != nil {
		return err
	}
	row("CreateTemp ops/s, 2 goroutines / 1", r, "x", ">= 1.5x", r >= 1.5)
	f0, f1 := &floor{dir: dirs[0]}, &floor{dir: dirs[1]}
	floors := map[string]*floor{dirs[0]: f0, dirs[1]: f1}
	r, err = ratio(21, 1000, f0.run, parallel(dirs, func(d string, n int) error { return floors[d].run(n) }))
	if err != nil {
		return err
	}
	row("floor ops/s, 2 goroutines / 1", r, "x", "", true)

	ns, al, err := makeNameCost()
	if err != nil {
		return err
	}
	row("Mktemp name generation", ns, " ns", "<= 100 ns", ns <= 100)
	row("Mktemp name generation, allocs", al, "", "<= 1", al <= 1)
	return w.Flush()
}

// ratio runs a and b alternately, chunks times n operations each, and
// returns the median of time(a)/time(b) over the chunks: alternating
// cancels the drift of a machine's speed that back-to-back runs suffer.
func ratio(chunks, n int, a, b any) (float64, error) {
	ta, tb := clock(a), clock(b)
	if _, err := ta(n); err != nil { // warm up both
		return 0, err
	}
	if _, err := tb(n); err != nil {
		return 0, err
	}
	rs := make([]float64, 0, chunks)
	for range chunks {
		da, err := ta(n)
		if err != nil {
			return 0, err
		}
		db, err := tb(n)
		if err != nil {
			return 0, err
		}
		rs = append(rs, float64(da)/float64(db))
	}
	slices.Sort(rs)
	return math.Round(rs[len(rs)/2]*100) / 100, nil // as printed, and judged
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

func (f *floor) run(n int) error {
	for range n {
		f.seq++
		name := f.dir + "/floor" + strconv.Itoa(f.seq)
		fd, err := unix.Open(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
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
