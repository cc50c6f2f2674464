package tempfile_test

import (
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

// ftNew makes a File in the private Dir holding content; a Cleanup closes
// it (a second Close is a no-op, so tests may close it themselves).
func ftNew(t *testing.T, content string) *tempfile.File {
	t.Helper()
	f, err := tempfile.NewFile(tempfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
	return f
}

// ftRead returns the content of the file at name.
func ftRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ftReadOpen reads the whole content through the open descriptor itself,
// proving the descriptor still works whatever happened to its name.
func ftReadOpen(t *testing.T, f *tempfile.File) string {
	t.Helper()
	b := make([]byte, 1024)
	n, err := f.ReadAt(b, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("ReadAt on the open file: %v", err)
	}
	return string(b[:n])
}

func ftMustNotExist(t *testing.T, name string) {
	t.Helper()
	if _, err := os.Lstat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s should not exist; Lstat: %v", name, err)
	}
}

// ftSwap puts a different file with content at name, as an attacker or a
// careless cleaner would.
func ftSwap(t *testing.T, name, content string) {
	t.Helper()
	other := name + ".other"
	if err := os.WriteFile(other, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, name); err != nil {
		os.Remove(other)
		skipOnWindows(t, "Windows cannot rename over the name of an open file")
		t.Fatal(err)
	}
}

func TestNewFile(t *testing.T) {
	dir := privateTmp(t)
	f, err := tempfile.NewFile(tempfile.Options{Prefix: "pre-", Suffix: ".suf"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	name := f.Name()
	if filepath.Dir(name) != dir {
		t.Errorf("Name() = %q, want a file in %q", name, dir)
	}
	if base := filepath.Base(name); !strings.HasPrefix(base, "pre-") || !strings.HasSuffix(base, ".suf") {
		t.Errorf("Name() = %q, want pre-<digits>.suf", base)
	}
	if got := f.File.Name(); got != name {
		t.Errorf("File.Name() = %q, Name() = %q: they should agree before any Persist", got, name)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{filepath.Base(name)}) {
		t.Errorf("dir holds %q, want only %q", got, filepath.Base(name))
	}
	fi, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm() != shown(0o600) {
		t.Errorf("mode %v, want a regular file with 0600", fi.Mode())
	}
	// Read-write through the embedded *os.File.
	if _, err := f.WriteString("payload"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(f)
	if err != nil || string(b) != "payload" {
		t.Errorf("read back %q, %v; want %q", b, err, "payload")
	}
}

func TestNewFileBadOptions(t *testing.T) {
	dir := privateTmp(t)
	for _, o := range []tempfile.Options{
		{Suffix: "a/b"},
		{Prefix: "a/b"},
		{Prefix: "a\x00"},
		{Dir: dir + "/\x00"},
		{Perm: fs.ModeDir | 0o600},
	} {
		f, err := tempfile.NewFile(o)
		if f != nil {
			f.Close()
			t.Errorf("NewFile(%+v) returned a file", o)
		}
		if !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("NewFile(%+v) error %v, want fs.ErrInvalid", o, err)
		}
	}
	mustEmpty(t, dir)
}

func TestFileCloseRemoves(t *testing.T) {
	dir := privateTmp(t)
	f := ftNew(t, "x")
	name := f.Name()
	if err := f.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ftMustNotExist(t, name)
	mustEmpty(t, dir)
	// The descriptor is really closed.
	if _, err := f.File.Write([]byte("y")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("write after Close: %v, want fs.ErrClosed", err)
	}
	// Idempotent: later calls return nil and do nothing.
	for i := range 2 {
		if err := f.Close(); err != nil {
			t.Errorf("Close #%d: %v, want nil", i+2, err)
		}
	}
	// Close must not remove a new file that later took the same name.
	if err := os.WriteFile(name, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close again: %v", err)
	}
	if got := ftRead(t, name); got != "new" {
		t.Errorf("a repeated Close touched a later file at the name: %q", got)
	}
}

func TestFileKeep(t *testing.T) {
	dir := privateTmp(t)
	f := ftNew(t, "kept")
	name := f.Name()
	f.Keep()
	if err := f.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := ftRead(t, name); got != "kept" {
		t.Errorf("kept file holds %q, want %q", got, "kept")
	}
	if _, err := f.File.Write([]byte("y")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("write after Close of a kept file: %v, want fs.ErrClosed", err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{filepath.Base(name)}) {
		t.Errorf("dir holds %q, want only the kept file", got)
	}
}

func TestFileReopen(t *testing.T) {
	privateTmp(t)
	f := ftNew(t, "hello")
	g, err := f.Reopen()
	if err != nil {
		t.Fatalf("Reopen: %v", err)
	}
	// Its own offset: it reads from 0 while f sits at 5.
	b, err := io.ReadAll(g)
	if err != nil || string(b) != "hello" {
		t.Errorf("reopened read %q, %v; want %q", b, err, "hello")
	}
	if off, err := f.Seek(0, io.SeekCurrent); err != nil || off != 5 {
		t.Errorf("f's offset = %d, %v; want 5, untouched by the reopened file", off, err)
	}
	// Read-write, and the same file.
	if _, err := g.WriteAt([]byte("J"), 0); err != nil {
		t.Errorf("reopened file is not writable: %v", err)
	}
	if got := ftReadOpen(t, f); got != "Jello" {
		t.Errorf("write through the reopened file not seen by f: %q", got)
	}
	// Closing it removes nothing.
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if got := ftRead(t, f.Name()); got != "Jello" {
		t.Errorf("after closing the reopened file the name holds %q", got)
	}
	// After Persist it reopens under the new name.
	skipUnderWine(t, "a handle whose file was renamed reports volume 0, so os.SameFile fails")
	dst := filepath.Join(filepath.Dir(f.Name()), "persisted")
	if err := f.Persist(dst); err != nil {
		t.Fatal(err)
	}
	g, err = f.Reopen()
	if err != nil {
		t.Fatalf("Reopen after Persist: %v", err)
	}
	if g.Name() != dst {
		t.Errorf("reopened %q after Persist to %q", g.Name(), dst)
	}
	g.Close()
	// After Close it refuses.
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if g, err := f.Reopen(); !errors.Is(err, fs.ErrClosed) {
		if g != nil {
			g.Close()
		}
		t.Errorf("Reopen after Close: %v, want fs.ErrClosed", err)
	}
}

func TestFileReopenRefusesStranger(t *testing.T) {
	tests := []struct {
		name    string
		replace func(t *testing.T, name string) // what happens to the name
		want    error
	}{
		{"swapped", func(t *testing.T, name string) { ftSwap(t, name, "stranger") }, tempfile.ErrReplaced},
		{"removed", func(t *testing.T, name string) {
			skipUnderWine(t, "a removed file that is open keeps its name, and opens, until closed")
			if err := os.Remove(name); err != nil {
				t.Fatal(err)
			}
		}, fs.ErrNotExist},
		{"symlink to itself", func(t *testing.T, name string) {
			// The name now leads to the right file, but through a link
			// someone planted: O_NOFOLLOW refuses to follow it.
			moved := name + ".moved"
			if err := os.Rename(name, moved); err != nil {
				t.Fatal(err)
			}
			mustSymlink(t, moved, name)
		}, errLinkRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			privateTmp(t)
			f := ftNew(t, "mine")
			tt.replace(t, f.Name())
			g, err := f.Reopen()
			if g != nil {
				g.Close()
				t.Errorf("Reopen returned %q", g.Name())
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Reopen: %v, want %v", err, tt.want)
			}
			if got := ftReadOpen(t, f); got != "mine" {
				t.Errorf("the open file now holds %q", got)
			}
		})
	}
}

func TestFileCloseRefusesStranger(t *testing.T) {
	dir := privateTmp(t)
	f := ftNew(t, "mine")
	name := f.Name()
	ftSwap(t, name, "stranger")
	err := f.Close()
	if !errors.Is(err, tempfile.ErrReplaced) {
		t.Fatalf("Close: %v, want ErrReplaced", err)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != name {
		t.Errorf("Close error %v should be a *fs.PathError naming %q", err, name)
	}
	if got := ftRead(t, name); got != "stranger" {
		t.Errorf("the stranger now holds %q, want it left alone", got)
	}
	if _, werr := f.File.Write([]byte("y")); !errors.Is(werr, fs.ErrClosed) {
		t.Errorf("the descriptor was not closed on the ErrReplaced path: %v", werr)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v, want nil", err)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{filepath.Base(name)}) {
		t.Errorf("dir holds %q, want only the stranger", got)
	}
}

func TestFileCloseNameGone(t *testing.T) {
	privateTmp(t)
	f := ftNew(t, "mine")
	if err := os.Remove(f.Name()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Close with the name gone: %v, want fs.ErrNotExist", err)
	}
	if _, err := f.File.Write([]byte("y")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("the descriptor was not closed: %v", err)
	}
}

func TestFilePersist(t *testing.T) {
	tests := []struct {
		name     string
		existing bool // a file is already at the target
	}{
		{"target free", false},
		{"target replaced", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := privateTmp(t)
			f := ftNew(t, "new")
			old := f.Name()
			dst := filepath.Join(dir, "final")
			if tt.existing {
				if err := os.WriteFile(dst, []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.Persist(dst); err != nil {
				t.Fatalf("Persist: %v", err)
			}
			if f.Name() != dst {
				t.Errorf("Name() = %q after Persist, want %q", f.Name(), dst)
			}
			ftMustNotExist(t, old)
			if got := ftRead(t, dst); got != "new" {
				t.Errorf("%s holds %q, want %q", dst, got, "new")
			}
			// Still the same open file: writes show at the new name.
			if _, err := f.WriteString("er"); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatalf("Close after Persist: %v", err)
			}
			if got := ftRead(t, dst); got != "newer" {
				t.Errorf("after Close %s holds %q, want %q", dst, got, "newer")
			}
			if got := entries(t, dir); !slices.Equal(got, []string{"final"}) {
				t.Errorf("dir holds %q, want only final", got)
			}
		})
	}
}

func TestFilePersistFailureKeepsFile(t *testing.T) {
	dir := privateTmp(t)
	f := ftNew(t, "data")
	old := f.Name()
	err := f.Persist(filepath.Join(dir, "missing", "final"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Persist into a missing directory: %v, want fs.ErrNotExist", err)
	}
	if f.Name() != old {
		t.Errorf("Name() = %q after a failed Persist, want %q", f.Name(), old)
	}
	if got := ftRead(t, old); got != "data" {
		t.Errorf("old name holds %q", got)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	mustEmpty(t, dir) // not kept: Close removed it
	if err := f.Persist(filepath.Join(dir, "late")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Persist after Close: %v, want fs.ErrClosed", err)
	}
	if err := f.PersistNoClobber(filepath.Join(dir, "late")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("PersistNoClobber after Close: %v, want fs.ErrClosed", err)
	}
	mustEmpty(t, dir)
}

// ftWithoutRenameat2 runs f once with renameat2 and once with the
// link-and-unlink fallback forced, restoring the hook after.
func ftWithoutRenameat2(t *testing.T, f func(t *testing.T)) {
	for _, fallback := range []bool{false, true} {
		name := "renameat2"
		if fallback {
			name = "link+unlink"
		}
		t.Run(name, func(t *testing.T) {
			prev := tempfile.NoRenameat2.Load()
			tempfile.NoRenameat2.Store(fallback)
			t.Cleanup(func() { tempfile.NoRenameat2.Store(prev) })
			f(t)
		})
	}
}

func TestFilePersistNoClobber(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dst string) // what is at the target
		ok    bool
	}{
		{"target free", func(*testing.T, string) {}, true},
		{"target is a file", func(t *testing.T, dst string) {
			if err := os.WriteFile(dst, []byte("theirs"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"target is a dangling symlink", func(t *testing.T, dst string) {
			mustSymlink(t, dst+".nowhere", dst)
		}, false},
		{"target is a directory", func(t *testing.T, dst string) {
			if err := os.Mkdir(dst, 0o700); err != nil {
				t.Fatal(err)
			}
		}, false},
	}
	ftWithoutRenameat2(t, func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				dir := privateTmp(t)
				f := ftNew(t, "mine")
				old := f.Name()
				dst := filepath.Join(dir, "final")
				tt.setup(t, dst)
				before, _ := os.Lstat(dst)

				err := f.PersistNoClobber(dst)
				if tt.ok {
					if err != nil {
						t.Fatalf("PersistNoClobber: %v", err)
					}
					if f.Name() != dst {
						t.Errorf("Name() = %q, want %q", f.Name(), dst)
					}
					ftMustNotExist(t, old)
					if n := links(t, f.File); n != 1 {
						t.Errorf("the file has %d links, want 1 (old name left behind?)", n)
					}
					if err := f.Close(); err != nil {
						t.Fatal(err)
					}
					if got := ftRead(t, dst); got != "mine" {
						t.Errorf("%s holds %q after Close, want it kept", dst, got)
					}
					if got := entries(t, dir); !slices.Equal(got, []string{"final"}) {
						t.Errorf("dir holds %q, want only final", got)
					}
					return
				}
				if !errors.Is(err, fs.ErrExist) {
					t.Fatalf("PersistNoClobber over an existing name: %v, want fs.ErrExist", err)
				}
				var cde *tempfile.CrossDeviceError
				if errors.As(err, &cde) {
					t.Errorf("same-device failure reported as %v", err)
				}
				after, aerr := os.Lstat(dst)
				if aerr != nil || !os.SameFile(before, after) || before.Mode() != after.Mode() {
					t.Errorf("the target was touched: before %v, after %v (%v)", before, after, aerr)
				}
				if before.Mode().IsRegular() {
					if got := ftRead(t, dst); got != "theirs" {
						t.Errorf("the target now holds %q", got)
					}
				}
				// Still usable, under the old name.
				if f.Name() != old {
					t.Errorf("Name() = %q after a failed PersistNoClobber, want %q", f.Name(), old)
				}
				if got := ftRead(t, old); got != "mine" {
					t.Errorf("old name holds %q, want %q", got, "mine")
				}
				if n := links(t, f.File); n != 1 {
					t.Errorf("the file has %d links, want 1 (a stray link left?)", n)
				}
				if _, err := f.WriteString("!"); err != nil {
					t.Fatal(err)
				}
				if got := ftRead(t, old); got != "mine!" {
					t.Errorf("old name holds %q after a write, want %q", got, "mine!")
				}
				// Not kept: Close removes it and leaves the target.
				if err := f.Close(); err != nil {
					t.Fatalf("Close: %v", err)
				}
				ftMustNotExist(t, old)
				if got := entries(t, dir); !slices.Equal(got, []string{"final"}) {
					t.Errorf("dir holds %q, want only the pre-existing final", got)
				}
			})
		}
	})
}

// ftShm returns a fresh directory on /dev/shm, on another file system than
// the private Dir, or skips the test if there is none.
func ftShm(t *testing.T, other string) string {
	t.Helper()
	if _, err := os.Stat("/dev/shm"); err != nil {
		t.Skipf("no /dev/shm: %v", err)
	}
	d, err := os.MkdirTemp("/dev/shm", "tempfile-test-")
	if err != nil {
		t.Skipf("cannot use /dev/shm: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	if ftDev(t, d) == ftDev(t, other) {
		t.Skipf("%s and %s are on the same file system", d, other)
	}
	return d
}

func ftDev(t *testing.T, name string) uint64 {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := devLinks(t, fi)
	return dev
}

func TestFilePersistCrossDevice(t *testing.T) {
	persists := []struct {
		name        string
		call        func(f *tempfile.File, dst string) error
		noRenameat2 bool
	}{
		{"Persist", (*tempfile.File).Persist, false},
		{"PersistNoClobber/renameat2", (*tempfile.File).PersistNoClobber, false},
		{"PersistNoClobber/link+unlink", (*tempfile.File).PersistNoClobber, true},
	}
	for _, p := range persists {
		t.Run(p.name, func(t *testing.T) {
			prev := tempfile.NoRenameat2.Load()
			tempfile.NoRenameat2.Store(p.noRenameat2)
			t.Cleanup(func() { tempfile.NoRenameat2.Store(prev) })
			dir := privateTmp(t)
			shm := ftShm(t, dir)
			f := ftNew(t, "data")
			old := f.Name()
			dst := filepath.Join(shm, "final")

			err := p.call(f, dst)
			var cde *tempfile.CrossDeviceError
			if !errors.As(err, &cde) {
				t.Fatalf("%s across file systems: %v (%T), want *CrossDeviceError", p.name, err, err)
			}
			if !errors.Is(err, syscall.EXDEV) {
				t.Errorf("%v does not match syscall.EXDEV", err)
			}
			if cde.Old != old || cde.New != dst {
				t.Errorf("CrossDeviceError{Old: %q, New: %q}, want {%q, %q}", cde.Old, cde.New, old, dst)
			}
			if !strings.Contains(err.Error(), old) || !strings.Contains(err.Error(), dst) {
				t.Errorf("message %q should name both paths", err)
			}
			ftMustNotExist(t, dst)
			mustEmpty(t, shm)
			// Untouched and usable under the old name.
			if f.Name() != old {
				t.Errorf("Name() = %q, want %q", f.Name(), old)
			}
			if _, err := f.WriteString("+"); err != nil {
				t.Fatal(err)
			}
			if got := ftRead(t, old); got != "data+" {
				t.Errorf("old name holds %q", got)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			mustEmpty(t, dir)
		})
	}
}

// TestLargeOffsets writes past 2 GiB in every kind of file the package
// opens itself: on 32-bit Linux that needs O_LARGEFILE, which the raw
// openat must add as x/sys did (.ci/run also runs this test as GOARCH=386).
// The files are sparse, so this costs no space.
func TestLargeOffsets(t *testing.T) {
	dir := t.TempDir()
	setDir(t, dir)
	s, err := tempfile.NewScope("large")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Cleanup()
	opens := []struct {
		name string
		open func() (*os.File, error)
	}{
		{"CreateTemp", func() (*os.File, error) { return tempfile.CreateTemp(tempfile.Options{}) }},
		{"TemporaryFile", func() (*os.File, error) { return tempfile.TemporaryFile("") }},
		{"Scope.File", func() (*os.File, error) { return s.File("") }},
	}
	for _, o := range opens {
		f, err := o.open()
		if err != nil {
			t.Fatalf("%s: %v", o.name, err)
		}
		if _, err := f.WriteAt([]byte("x"), 3<<30); err != nil {
			t.Errorf("%s: WriteAt 3 GiB: %v", o.name, err)
		}
		f.Close()
	}
}
