package tempfile_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// wfUmask sets the umask for one test and restores it after.
func wfUmask(t *testing.T, mask int) {
	t.Helper()
	old := umask(mask)
	t.Cleanup(func() { umask(old) })
}

// wfOnly fails unless dir holds exactly the names want: no temporary file
// left beside them.
func wfOnly(t *testing.T, dir string, want ...string) {
	t.Helper()
	got := entries(t, dir)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("%s holds %q, want exactly %q", dir, got, want)
	}
}

func wfRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteFileCreates(t *testing.T) {
	wfUmask(t, 0o022)
	tests := []struct {
		perm, want fs.FileMode
		data       []byte
	}{
		{0o644, 0o644, []byte("hello\n")},
		{0o666, 0o644, []byte{}},
		{0o600, 0o600, []byte("secret")},
		{0o640, 0o640, bytes.Repeat([]byte{0, 1, 2, 0xff}, 1<<14)},
		{0o777, 0o755, []byte("#!/bin/sh\n")},
		{0o400, 0o400, []byte("read-only")},
	}
	for _, tt := range tests {
		t.Run(tt.perm.String(), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "target.txt")
			if err := tempfile.WriteFile(path, tt.data, tt.perm); err != nil {
				t.Fatalf("WriteFile: %v", err)
			}
			if got := wfRead(t, path); !bytes.Equal(got, tt.data) {
				t.Errorf("content %d bytes, want %d", len(got), len(tt.data))
			}
			fi, err := os.Lstat(path)
			if err != nil {
				t.Fatal(err)
			}
			if !fi.Mode().IsRegular() || fi.Mode().Perm() != shown(tt.want) {
				t.Errorf("mode %v, want regular %v (perm %v under umask 022)", fi.Mode(), tt.want, tt.perm)
			}
			wfOnly(t, dir, "target.txt")
		})
	}
}

// TestWriteFileZeroPerm: os.WriteFile(name, data, 0) creates a file of mode
// 0000, and WriteFile documents the same mode handling.
func TestWriteFileZeroPerm(t *testing.T) {
	wfUmask(t, 0o022)
	dir := t.TempDir()
	path := filepath.Join(dir, "target")
	if err := tempfile.WriteFile(path, []byte("x"), 0); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(t.TempDir(), "ref")
	if err := os.WriteFile(ref, []byte("x"), 0); err != nil {
		t.Fatal(err)
	}
	refInfo, err := os.Lstat(ref)
	if err != nil {
		t.Fatal(err)
	}
	// perm 0 means mode 0, as for os.WriteFile, not Options' default 0600.
	if got, want := fi.Mode().Perm(), refInfo.Mode().Perm(); got != want {
		t.Errorf("WriteFile(perm 0) made mode %v; os.WriteFile(perm 0) makes %v", got, want)
	}
	wfOnly(t, dir, "target")
}

func TestWriteFileReplaces(t *testing.T) {
	wfUmask(t, 0o022)
	tests := []struct {
		name     string
		old, new []byte
	}{
		{"longer", []byte("old"), []byte("new and longer content")},
		{"shorter", []byte("old and long content"), []byte("new")},
		{"to empty", []byte("old"), nil},
		{"from empty", nil, []byte("new")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "target")
			if err := os.WriteFile(path, tt.old, 0o600); err != nil {
				t.Fatal(err)
			}
			// A reader that opened the old file before the replacement
			// (on Windows, which cannot replace an open file, a hard link).
			readOld := holdOld(t, path)

			if err := tempfile.WriteFile(path, tt.new, 0o644); err != nil {
				t.Fatalf("WriteFile: %v", err)
			}
			if got := wfRead(t, path); !bytes.Equal(got, tt.new) {
				t.Errorf("content %q, want %q", got, tt.new)
			}
			// Replaced by rename, not rewritten in place: the old reader
			// still sees the whole old content, never a mix or a truncation.
			got, oldInfo := readOld()
			if !bytes.Equal(got, tt.old) {
				t.Errorf("a reader of the old file now reads %q, want %q: the file was modified in place", got, tt.old)
			}
			newInfo, err := os.Lstat(path)
			if err != nil {
				t.Fatal(err)
			}
			if os.SameFile(oldInfo, newInfo) {
				t.Error("path is still the old inode")
			}
			if newInfo.Mode().Perm() != shown(0o644) {
				t.Errorf("mode %v, want 0644 from perm", newInfo.Mode())
			}
			wfOnly(t, dir, "target")
		})
	}
}

// TestWriteFileReplacesSymlink checks the documented behaviour: the link
// itself is replaced, and the file it pointed at is left alone.
func TestWriteFileReplacesSymlink(t *testing.T) {
	dir := t.TempDir()
	pointee := filepath.Join(dir, "real")
	link := filepath.Join(dir, "link")
	if err := os.WriteFile(pointee, []byte("real"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", link); err != nil {
		t.Fatal(err)
	}
	if err := tempfile.WriteFile(link, []byte("new"), 0o600); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() {
		t.Errorf("link is now %v, want a regular file", fi.Mode())
	}
	if got := wfRead(t, link); string(got) != "new" {
		t.Errorf("link holds %q", got)
	}
	if got := wfRead(t, pointee); string(got) != "real" {
		t.Errorf("the link's target was changed to %q", got)
	}
	wfOnly(t, dir, "link", "real")
}

// TestWriteFileRelative checks a name without a directory part: it is
// written in the working directory.
func TestWriteFileRelative(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := tempfile.WriteFile("rel", []byte("data"), 0o600); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	if got := wfRead(t, filepath.Join(dir, "rel")); string(got) != "data" {
		t.Errorf("content %q", got)
	}
	wfOnly(t, dir, "rel")
}

func TestWriteFileErrors(t *testing.T) {
	tests := []struct {
		name string
		// setup prepares dir and returns the path to write to, and the
		// names dir must hold afterwards.
		setup func(t *testing.T, dir string) (path string, left []string)
		want  error // nil: any error
	}{
		{"target is a non-empty directory", func(t *testing.T, dir string) (string, []string) {
			sub := filepath.Join(dir, "sub")
			if err := os.Mkdir(sub, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(sub, "inner"), []byte("inner"), 0o600); err != nil {
				t.Fatal(err)
			}
			return sub, []string{"sub", "keep"}
		}, nil},
		{"missing directory", func(t *testing.T, dir string) (string, []string) {
			return filepath.Join(dir, "missing", "target"), []string{"keep"}
		}, fs.ErrNotExist},
		{"NUL in name", func(t *testing.T, dir string) (string, []string) {
			return filepath.Join(dir, "tar\x00get"), []string{"keep"}
		}, fs.ErrInvalid},
		{"NUL in directory", func(t *testing.T, dir string) (string, []string) {
			return filepath.Join(dir, "d\x00ir", "target"), []string{"keep"}
		}, fs.ErrInvalid},
		{"empty name", func(t *testing.T, dir string) (string, []string) {
			return "", []string{"keep"}
		}, fs.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir) // so that a relative name lands here
			keep := filepath.Join(dir, "keep")
			if err := os.WriteFile(keep, []byte("kept"), 0o600); err != nil {
				t.Fatal(err)
			}
			path, left := tt.setup(t, dir)
			err := tempfile.WriteFile(path, []byte("new content"), 0o644)
			if err == nil {
				t.Fatalf("WriteFile(%q) succeeded", path)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("WriteFile(%q): %v, want %v", path, err, tt.want)
			}
			wfOnly(t, dir, left...)
			if got := wfRead(t, keep); string(got) != "kept" {
				t.Errorf("a bystander now holds %q", got)
			}
			if fi, err := os.Lstat(filepath.Join(dir, "sub")); err == nil {
				if !fi.IsDir() {
					t.Errorf("sub is now %v", fi.Mode())
				}
				wfOnly(t, filepath.Join(dir, "sub"), "inner")
				if got := wfRead(t, filepath.Join(dir, "sub", "inner")); string(got) != "inner" {
					t.Errorf("sub/inner now holds %q", got)
				}
			}
		})
	}
}

// TestWriteFileSizeLimit makes the write itself fail midway (EFBIG under
// RLIMIT_FSIZE; Go ignores SIGXFSZ) and checks that the old file and the
// directory are as they were.
func TestWriteFileSizeLimit(t *testing.T) {
	const limit = 64 << 10
	dir := t.TempDir()
	path := filepath.Join(dir, "target")
	old := []byte("small old content")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	oldInfo, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}

	restore := limitFileSize(t, limit)

	err = tempfile.WriteFile(path, bytes.Repeat([]byte("x"), 1<<20), 0o644)
	if !errors.Is(err, syscall.EFBIG) {
		t.Errorf("WriteFile over the size limit: %v, want EFBIG", err)
	}
	restore()
	if got := wfRead(t, path); !bytes.Equal(got, old) {
		t.Errorf("old file now holds %d bytes, want the old %q", len(got), old)
	}
	newInfo, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(oldInfo, newInfo) || newInfo.Mode() != oldInfo.Mode() {
		t.Errorf("the old file was replaced: %v -> %v", oldInfo.Mode(), newInfo.Mode())
	}
	wfOnly(t, dir, "target")
}

// TestWriteFileErrorIsPlain: with one thing to report, the error is the
// file system's own *os.LinkError, not wrapped in a join.
func TestWriteFileErrorIsPlain(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(target, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	err := tempfile.WriteFile(target, []byte("data"), 0o600)
	if _, ok := err.(*os.LinkError); !ok {
		t.Fatalf("WriteFile over a directory: %v (%T), want a plain *os.LinkError", err, err)
	}
}

// TestWriteFileModesAndNames: setuid and other non-permission bits are
// refused before anything is made; a name near the 255-byte limit still
// works, its temporary name shortened to fit.
func TestWriteFileModesAndNames(t *testing.T) {
	dir := t.TempDir()
	for _, perm := range []fs.FileMode{fs.ModeSetuid | 0o755, fs.ModeSticky | 0o644, fs.ModeDir | 0o700} {
		if err := tempfile.WriteFile(filepath.Join(dir, "x"), []byte("x"), perm); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("WriteFile with mode %v: %v, want fs.ErrInvalid", perm, err)
		}
	}
	mustEmpty(t, dir)
	long := filepath.Join(dir, strings.Repeat("n", 250))
	if err := tempfile.WriteFile(long, []byte("long"), 0o600); err != nil {
		t.Fatalf("WriteFile to a 250-byte name: %v", err)
	}
	if b, err := os.ReadFile(long); err != nil || string(b) != "long" {
		t.Fatalf("read back %q, %v", b, err)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Fatalf("directory holds %d entries, want the target alone", len(names))
	}
}

// TestSpooledFailedRollKeepsData: a roll that cannot happen (the directory
// is gone) fails the write and leaves the content in memory untouched.
func TestSpooledFailedRollKeepsData(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	s := tempfile.NewSpooled(4, tempfile.Options{Dir: missing})
	defer s.Close()
	if _, err := s.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write([]byte("defgh")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("write past the limit into a missing directory: %v, want fs.ErrNotExist", err)
	}
	if s.Rolled() {
		t.Fatal("Rolled after a failed roll")
	}
	buf := make([]byte, 3)
	if n, err := s.ReadAt(buf, 0); n != 3 || err != nil || string(buf) != "abc" {
		t.Fatalf("after the failed roll: %q, %d, %v; want the old abc", buf, n, err)
	}
	if off, _ := s.Seek(0, io.SeekCurrent); off != 3 {
		t.Fatalf("offset %d after the failed roll, want 3", off)
	}
}
