//go:build mage

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// magePin is the mage that go.mod pins, installed as users install it.
const magePin = "github.com/magefile/mage@v1.17.2"

// BenchCLI times one `mage tmp:name` the ways users run it, against
// `mktemp -u` in the same run: `go tool mage`, an installed mage (go
// install, as the README says), the same with MAGEFILE_HASHFAST=1, and a
// binary made with `mage -compile`. The commands take turns in each of
// BENCH_ROUNDS rounds (default 21), each round starting with a different
// one; the table gives the median and range of the wall time of a call.
// `hyperfine -N -w 3 'mktemp -u' ...` measures the same from the shell.
func BenchCLI() error {
	rounds, err := strconv.Atoi(envOr("BENCH_ROUNDS", "21"))
	if err != nil || rounds < 1 {
		return fmt.Errorf("BENCH_ROUNDS=%q: want a count", os.Getenv("BENCH_ROUNDS"))
	}
	tmp, err := os.MkdirTemp("", "mgtemp-benchcli")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	gobin := filepath.Join(tmp, "bin")
	mage := filepath.Join(gobin, "mage")
	compiled := filepath.Join(tmp, "magefile-bin")
	install := exec.Command("go", "install", magePin)
	install.Env = append(os.Environ(), "GOBIN="+gobin)
	if out, err := install.CombinedOutput(); err != nil {
		return fmt.Errorf("go install %s: %v\n%s", magePin, err, out)
	}
	if out, err := exec.Command(mage, "-compile", compiled).CombinedOutput(); err != nil {
		return fmt.Errorf("mage -compile: %v\n%s", err, out)
	}
	// The names go to a directory of their own: nothing is created, but
	// nothing should touch the machine's /tmp either.
	names := filepath.Join(tmp, "names")
	if err := os.Mkdir(names, 0o700); err != nil {
		return err
	}
	cmds := []struct {
		name string
		argv []string
		env  []string
	}{
		{"mktemp -u", []string{"mktemp", "-u"}, nil},
		{"go tool mage tmp:name", []string{"go", "tool", "mage", "tmp:name"}, nil},
		{"mage tmp:name (installed)", []string{mage, "tmp:name"}, nil},
		{"MAGEFILE_HASHFAST=1 mage tmp:name", []string{mage, "tmp:name"}, []string{"MAGEFILE_HASHFAST=1"}},
		{"mage -compile'd binary tmp:name", []string{compiled, "tmp:name"}, nil},
	}
	times := make([][]time.Duration, len(cmds))
	for round := -1; round < rounds; round++ { // round -1 warms every cache up
		for _, i := range rotation(len(cmds), max(round, 0)) {
			c := cmds[i]
			cmd := exec.Command(c.argv[0], c.argv[1:]...)
			cmd.Env = append(os.Environ(), append(c.env, "TMPDIR="+names)...)
			start := time.Now()
			out, err := cmd.CombinedOutput()
			d := time.Since(start)
			if err != nil {
				return fmt.Errorf("%s: %v\n%s", c.name, err, out)
			}
			if round >= 0 {
				times[i] = append(times[i], d)
			}
		}
	}
	fmt.Printf("wall time of one call, median (range) over %d rounds%s\n", rounds, loadAverage())
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "COMMAND\tMEDIAN\tRANGE\tx mktemp -u")
	base := medianDuration(times[0])
	for i, c := range cmds {
		ts := times[i]
		slices.Sort(ts)
		m := medianDuration(ts)
		fmt.Fprintf(w, "%s\t%s\t%s–%s\t%.1f\n", c.name, ms(m), strings.TrimSuffix(ms(ts[0]), " ms"), ms(ts[len(ts)-1]), float64(m)/float64(base))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Println("MAGEFILE_HASHFAST=1 rebuilds only when a magefile changes: a change in a package the magefiles import, mgtemp included, goes unseen until `mage -f`.")
	return nil
}

// medianDuration of sorted ds.
func medianDuration(ds []time.Duration) time.Duration {
	ds = slices.Sorted(slices.Values(ds))
	if n := len(ds); n%2 == 0 {
		return (ds[n/2-1] + ds[n/2]) / 2
	}
	return ds[len(ds)/2]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) + " ms"
}
