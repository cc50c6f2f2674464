package tempfile_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/magekit/temp/tempfile"
)

func init() {
	// fallback-make: make two scopes with a file each, print "made PATH"
	// for each, and exit without cleaning up: two stale scopes.
	helpers["fallback-make"] = func() int {
		for _, label := range []string{"a", "b"} {
			s, err := tempfile.NewScope(label)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			if err := os.WriteFile(filepath.Join(s.Path(), "f"), []byte("x"), 0o600); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			fmt.Println("made", s.Path())
		}
		return 0
	}
	// fallback-next: make a scope, list the scopes ("list PATH STATE"),
	// sweep ("swept PATH"), clean up and say "done".
	helpers["fallback-next"] = func() int {
		s, err := tempfile.NewScope("c")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println("made", s.Path())
		list, err := tempfile.Scopes("")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		for _, i := range list {
			fmt.Println("list", i.Path, map[bool]string{true: "live", false: "stale"}[i.Live])
		}
		removed, err := tempfile.Sweep("")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		for _, p := range removed {
			fmt.Println("swept", p)
		}
		if err := s.Cleanup(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println("done")
		return 0
	}
}

// TestParentFallbackAcrossUsers (issue 9 item 6), with real users: root
// against a per-user parent that nobody made first, and nobody against
// one that root made first. Each process warns once on stderr, puts its
// scopes in a private fallback, and a later process finds that fallback
// again, lists and sweeps the scopes in it; the refused parent stays as
// it was, empty.
func TestParentFallbackAcrossUsers(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a directory another user owns; TestParentFallback covers the rest")
	}
	for _, c := range []struct {
		name      string
		uid, trap int // the user who runs, the owner of the trap parent
	}{{"root against nobody's", 0, nobody}, {"nobody against root's", nobody, 0}} {
		t.Run(c.name, func(t *testing.T) {
			base, bin := nobodyBin(t, "fallback")
			tmp := filepath.Join(base, "tmp")
			mustDo(t, os.Mkdir(tmp, 0o700))
			mustDo(t, os.Chown(tmp, c.uid, c.uid))
			trap := userParentOf(tmp, strconv.Itoa(c.uid))
			mustDo(t, os.Mkdir(trap, 0o700))
			mustDo(t, os.Chown(trap, c.trap, c.trap))

			run := func(role string) []string {
				t.Helper()
				cmd := exec.Command(bin)
				cmd.Dir = tmp
				cmd.Env = append(cleanEnv(), helperEnv+"="+role, "TMPDIR="+tmp)
				if c.uid != 0 {
					cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(c.uid), Gid: uint32(c.uid)}}
				}
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("%s: %v\n%s", role, err, stderr.String())
				}
				warn := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
				if len(warn) != 1 || !strings.HasPrefix(warn[0], "tempfile: warning: ") || !strings.Contains(warn[0], trap) {
					t.Fatalf("%s: stderr %q, want one warning line naming %s", role, stderr.String(), trap)
				}
				return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
			}
			made := run("fallback-make")
			if len(made) != 2 {
				t.Fatalf("fallback-make said %q", made)
			}
			a, b := strings.TrimPrefix(made[0], "made "), strings.TrimPrefix(made[1], "made ")
			fallback := filepath.Dir(a)
			if !strings.HasPrefix(fallback, trap+".") || filepath.Dir(b) != fallback {
				t.Fatalf("scopes %s and %s, want both in one fallback %s.*", a, b, trap)
			}
			fi, err := os.Lstat(fallback)
			mustDo(t, err)
			if fi.Mode() != os.ModeDir|0o700 || int(fi.Sys().(*syscall.Stat_t).Uid) != c.uid {
				t.Fatalf("fallback %s: mode %v, owner %d", fallback, fi.Mode(), fi.Sys().(*syscall.Stat_t).Uid)
			}

			next := run("fallback-next")
			if len(next) == 0 || filepath.Dir(strings.TrimPrefix(next[0], "made ")) != fallback {
				t.Fatalf("a later process's scope: %q, want it in %s", next, fallback)
			}
			third := strings.TrimPrefix(next[0], "made ")
			got := slices.Clone(next[1:])
			want := []string{"list " + a + " stale", "list " + b + " stale", "list " + third + " live", "swept " + a, "swept " + b, "done"}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("a later process said %q, want %q", got, want)
			}
			mustEmpty(t, fallback)

			fi, err = os.Lstat(trap)
			mustDo(t, err)
			if fi.Mode() != os.ModeDir|0o700 || int(fi.Sys().(*syscall.Stat_t).Uid) != c.trap {
				t.Fatalf("the refused parent changed: mode %v, owner %d", fi.Mode(), fi.Sys().(*syscall.Stat_t).Uid)
			}
			mustEmpty(t, trap)
		})
	}
}
