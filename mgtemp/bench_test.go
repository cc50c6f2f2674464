//go:build linux

package mgtemp_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

// holdEnv makes the test binary a holder of live scopes: with
// MGTEMP_BENCH_HOLD=n it makes n scopes in Dir(), says "ready", and
// keeps them until its stdin closes. It runs before TestMain, which would
// compile the test magefiles first.
const holdEnv = "MGTEMP_BENCH_HOLD"

func init() {
	if n := os.Getenv(holdEnv); n != "" {
		os.Exit(holdScopes(n))
	}
}

func holdScopes(arg string) int {
	n, err := strconv.Atoi(arg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	scopes := make([]*tempfile.Scope, 0, n)
	defer func() {
		for _, s := range scopes {
			s.Cleanup()
		}
	}()
	for range n {
		s, err := tempfile.NewScope("held")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		scopes = append(scopes, s)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// BenchmarkWith is one With whose fn makes one file, with no other scope
// in the per-user parent, and with 1,000 live scopes that another process
// holds there (a CI host running many builds as one user). Every With
// sweeps that parent today; the goal is scopes=1000 within 2x of scopes=0
// for every With but a process's first.
func BenchmarkWith(b *testing.B) {
	for _, n := range []int{0, 1000} {
		b.Run("scopes="+strconv.Itoa(n), func(b *testing.B) {
			dir := shmDir(b)
			tempfile.SetDir(dir)
			b.Cleanup(func() { tempfile.SetDir("") })
			if n > 0 {
				holdIn(b, dir, n)
			}
			ctx := context.Background()
			fn := func(_ context.Context, s *tempfile.Scope) error {
				f, err := s.File("")
				if err != nil {
					return err
				}
				return f.Close()
			}
			// The first With of a process may sweep what dead runs left
			// (DESIGN.md's lifecycle: one sweep per process); the goal is
			// the cost of every With after it, so that one runs untimed.
			if err := mgtemp.With(ctx, fn); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := mgtemp.With(ctx, fn); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// holdIn starts a holder of n live scopes in dir and waits until they
// exist; they go when b ends.
func holdIn(b *testing.B, dir string, n int) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "TMPDIR="+dir, holdEnv+"="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		in.Close()
		if err := cmd.Wait(); err != nil {
			b.Errorf("holder: %v", err)
		}
	})
	if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		b.Fatalf("holder of %d scopes: %q, %v", n, line, err)
	}
}

// shmDir is a fresh directory on tmpfs (where there is one), removed after b.
func shmDir(b *testing.B) string {
	base := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		base = "/dev/shm"
	}
	d, err := os.MkdirTemp(base, "mgtemp-bench")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(d) })
	return d
}
