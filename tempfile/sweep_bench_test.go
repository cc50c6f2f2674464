//go:build linux

package tempfile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/magekit/temp/tempfile"
)

// BenchmarkSweepForeignLive is one Sweep of a parent holding 1,000 live
// scopes of another owner (lock files whose flock this benchmark holds
// through descriptors of its own, as another process would): each costs
// Sweep a probe of its lock file, which finds it held and moves on. The
// last case is an empty parent in a temp directory holding 10,000 other
// files, whose names Sweep reads to find fallback parents.
func BenchmarkSweepForeignLive(b *testing.B) {
	for _, c := range []struct{ n, others int }{{0, 0}, {1000, 0}, {0, 10000}} {
		n := c.n
		name := fmt.Sprint(n)
		if c.others > 0 {
			name += fmt.Sprintf("/%d-others-in-tmp", c.others)
		}
		b.Run(name, func(b *testing.B) {
			tmp := benchDir(b)
			// Other users' files beside the parent: Sweep lists the temp
			// directory's names to find this user's fallback parents.
			for i := range c.others {
				if err := os.WriteFile(filepath.Join(tmp, fmt.Sprintf("other%d", i)), nil, 0o600); err != nil {
					b.Fatal(err)
				}
			}
			parent := userParent(tmp)
			if err := os.Mkdir(parent, 0o700); err != nil {
				b.Fatal(err)
			}
			for i := range n {
				id := filepath.Join(parent, fmt.Sprintf("other.1.%020d", i))
				if err := os.Mkdir(id, 0o700); err != nil {
					b.Fatal(err)
				}
				fd, err := unix.Open(id+".lock", unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0o600)
				if err != nil {
					b.Fatal(err)
				}
				defer unix.Close(fd)
				if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				if removed, err := tempfile.Sweep(tmp); err != nil || len(removed) != 0 {
					b.Fatalf("Sweep = %q, %v", removed, err)
				}
			}
		})
	}
}

// BenchmarkNewScopeCleanup is a scope's whole life with nothing in it:
// the lock file made (locked before its name appears), the directory,
// and their removal.
func BenchmarkNewScopeCleanup(b *testing.B) {
	benchDir(b)
	for _, label := range []string{"build", "docker:push"} {
		b.Run(label, func(b *testing.B) {
			for b.Loop() {
				s, err := tempfile.NewScope(label)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Cleanup(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
