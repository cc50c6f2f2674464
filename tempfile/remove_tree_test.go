//go:build unix

package tempfile_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// The trees the removal tests and benchmarks share.

// makeDeep makes depth directories nested under root, each named "d" and
// holding one file, then gives every directory the mode m, top down (so m
// must leave the owner search permission). It works relative to directory
// descriptors: the tree may be deeper than a path can name.
func makeDeep(tb testing.TB, root string, depth int, m uint32) {
	tb.Helper()
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		tb.Fatal(err)
	}
	top := fd
	next := func() int {
		if err := unix.Mkdirat(fd, "d", 0o700); err != nil {
			tb.Fatal(err)
		}
		f, err := unix.Openat(fd, "f", unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY|unix.O_CLOEXEC, 0o400)
		if err != nil {
			tb.Fatal(err)
		}
		unix.Close(f)
		sub, err := unix.Openat(fd, "d", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			tb.Fatal(err)
		}
		return sub
	}
	for range depth {
		sub := next()
		if fd != top {
			unix.Close(fd)
		}
		fd = sub
	}
	if fd != top {
		unix.Close(fd)
	}
	fd = top
	for range depth {
		if err := unix.Fchmodat(fd, "d", m, 0); err != nil {
			tb.Fatal(err)
		}
		sub, err := unix.Openat(fd, "d", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			tb.Fatal(err)
		}
		unix.Close(fd)
		fd = sub
	}
	unix.Close(fd)
}

// makeWide makes a tree shaped like Go's module cache under root: mods
// modules of six directories and 39 files each, directories 0o555 and
// files 0o444, as the go command leaves them.
func makeWide(tb testing.TB, root string, mods int) {
	tb.Helper()
	var dirs []string
	mkdir := func(p string) {
		if err := os.Mkdir(p, 0o700); err != nil {
			tb.Fatal(err)
		}
		dirs = append(dirs, p)
	}
	write := func(p string) {
		if err := os.WriteFile(p, []byte("package x\n"), 0o444); err != nil {
			tb.Fatal(err)
		}
	}
	for i := range mods {
		mod := filepath.Join(root, "example.com", "mod"+strconv.Itoa(i)+"@v1.0.0")
		if i == 0 {
			mkdir(filepath.Dir(mod))
		}
		mkdir(mod)
		for _, f := range []string{"go.mod", "LICENSE", "README.md"} {
			write(filepath.Join(mod, f))
		}
		for j := range 4 {
			pkg := filepath.Join(mod, "p"+strconv.Itoa(j))
			mkdir(pkg)
			for k := range 8 {
				write(filepath.Join(pkg, "f"+strconv.Itoa(k)+".go"))
			}
		}
		td := filepath.Join(mod, "p0", "testdata")
		mkdir(td)
		for k := range 4 {
			write(filepath.Join(td, "t"+strconv.Itoa(k)))
		}
	}
	for _, d := range slices.Backward(dirs) {
		if err := os.Chmod(d, 0o555); err != nil {
			tb.Fatal(err)
		}
	}
}

// snapshot describes everything under dir, dir included: each name's
// type and permission bits, a file's content, a link's target. Two
// snapshots are equal only if nothing under dir changed.
func snapshot(tb testing.TB, dir string) string {
	tb.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil { // a directory this user cannot read: say so
			fmt.Fprintf(&b, "%s: %v\n", p, err)
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v", p, fi.Mode())
		switch {
		case fi.Mode().IsRegular():
			c, err := os.ReadFile(p)
			fmt.Fprintf(&b, " %q %v", c, err)
		case fi.Mode()&fs.ModeSymlink != 0:
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " -> %s", l)
		}
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		tb.Fatalf("snapshot of %s: %v", dir, err)
	}
	return b.String()
}

// makeSource makes a directory for a test to mount or link into a scope:
// files, a read-only directory, read-only files, a directory of mode 0
// (so a removal that entered it, or restored its bits, would show).
func makeSource(tb testing.TB, dir string) {
	tb.Helper()
	tb.Cleanup(func() { openTree(dir) }) // for the TempDir's removal, as nobody
	for _, d := range []string{"ro", "none", "rw"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			tb.Fatal(err)
		}
	}
	for _, f := range []string{"f", "ro/f", "ro/g", "rw/f", "none/f"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("source "+f), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	for _, c := range []struct {
		p string
		m fs.FileMode
	}{{"ro/f", 0o444}, {"ro", 0o555}, {"none", 0}} {
		if err := os.Chmod(filepath.Join(dir, c.p), c.m); err != nil {
			tb.Fatal(err)
		}
	}
}
