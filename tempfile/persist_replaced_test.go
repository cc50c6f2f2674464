package tempfile_test

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// prReplacers put something else at a temporary file's name, as someone
// with write access to its directory can (issue 9 item 3).
var prReplacers = []struct {
	name    string
	replace func(t *testing.T, name string)
}{
	{"another file", func(t *testing.T, name string) { ftSwap(t, name, "stranger") }},
	{"a symlink to another file", func(t *testing.T, name string) {
		skipUnderWine(t, wineNoSymlinks)
		other := name + ".target"
		if err := os.WriteFile(other, []byte("stranger"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
		mustSymlink(t, other, name)
	}},
	{"a symlink to the file itself", func(t *testing.T, name string) {
		// The name leads to the right content, through a link someone
		// planted: installing the link would install their link.
		skipUnderWine(t, wineNoSymlinks)
		moved := name + ".moved"
		if err := os.Rename(name, moved); err != nil {
			t.Fatal(err)
		}
		mustSymlink(t, moved, name)
	}},
}

// wineNoSymlinks is why the planted-link cases skip under Wine: its
// os.Symlink reports success and makes no Windows symbolic link.
const wineNoSymlinks = "no symbolic links: os.Symlink reports success and plants no Windows link"

// prPersists are the ways to give a File its final name.
var prPersists = []struct {
	name string
	call func(f *tempfile.File, dst string) error
}{
	{"Persist", (*tempfile.File).Persist},
	{"PersistNoClobber", (*tempfile.File).PersistNoClobber},
}

// prTargets are what may be at the final name beforehand.
var prTargets = []struct {
	name  string
	setup func(t *testing.T, dst string)
}{
	{"target free", func(*testing.T, string) {}},
	{"target exists", func(t *testing.T, dst string) {
		if err := os.WriteFile(dst, []byte("theirs"), 0o644); err != nil {
			t.Fatal(err)
		}
	}},
}

// prDir snapshots a directory: each name with what it is and holds.
func prDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, n := range entries(t, dir) {
		p := filepath.Join(dir, n)
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			l, _ := os.Readlink(p)
			m[n] = "link to " + l
		case fi.Mode().IsRegular():
			b, _ := os.ReadFile(p)
			m[n] = "file " + string(b)
		default:
			m[n] = fi.Mode().String()
		}
	}
	return m
}

// TestPersistRefusesReplacedName: a temporary file whose name now refers to
// something else is never installed: Persist and PersistNoClobber fail
// with ErrReplaced, leave the target and the stranger as they were, and
// the File stays usable; Close then leaves the stranger too.
func TestPersistRefusesReplacedName(t *testing.T) {
	prModes(t, func(t *testing.T) {
		for _, p := range prPersists {
			for _, tg := range prTargets {
				for _, r := range prReplacers {
					t.Run(p.name+"/"+tg.name+"/"+r.name, func(t *testing.T) {
						dir := privateTmp(t)
						f := ftNew(t, "mine")
						old := f.Name()
						dst := filepath.Join(dir, "final")
						tg.setup(t, dst)
						r.replace(t, old)
						before := prDir(t, dir)

						err := p.call(f, dst)
						if !errors.Is(err, tempfile.ErrReplaced) {
							t.Fatalf("%s of a replaced name: %v, want ErrReplaced", p.name, err)
						}
						if after := prDir(t, dir); !maps.Equal(before, after) {
							t.Errorf("directory changed:\n before %v\n after  %v", before, after)
						}
						if f.Name() != old {
							t.Errorf("Name() = %q, want the old %q", f.Name(), old)
						}
						if _, err := f.WriteString("!"); err != nil {
							t.Fatalf("the File is no longer usable: %v", err)
						}
						if got := ftReadOpen(t, f); got != "mine!" {
							t.Errorf("the File holds %q", got)
						}
						before = prDir(t, dir) // the write shows through a link to the file itself
						if err := f.Close(); !errors.Is(err, tempfile.ErrReplaced) {
							t.Errorf("Close: %v, want ErrReplaced", err)
						}
						if after := prDir(t, dir); !maps.Equal(before, after) {
							t.Errorf("Close changed the directory:\n before %v\n after  %v", before, after)
						}
					})
				}
			}
		}
	})
}

// TestWriteFileRefusesReplacedName: the temporary file's name replaced
// after WriteFile wrote it and before the rename: WriteFile fails with
// ErrReplaced, the target keeps its old content, and the stranger is
// left alone.
func TestWriteFileRefusesReplacedName(t *testing.T) {
	prModes(t, func(t *testing.T) {
		for _, tg := range prTargets {
			for _, r := range prReplacers {
				t.Run(tg.name+"/"+r.name, func(t *testing.T) {
					dir := t.TempDir()
					dst := filepath.Join(dir, "final")
					tg.setup(t, dst)
					var tmp string
					var before map[string]string
					prHook(t, tempfile.HookWriteFile, func(name string) {
						tmp = name
						r.replace(t, name)
						before = prDir(t, dir)
					})
					err := tempfile.WriteFile(dst, []byte("new"), 0o644)
					if tmp == "" {
						t.Fatal("the hook never ran")
					}
					if !errors.Is(err, tempfile.ErrReplaced) {
						t.Fatalf("WriteFile with its temporary name replaced: %v, want ErrReplaced", err)
					}
					if after := prDir(t, dir); !maps.Equal(before, after) {
						t.Errorf("directory changed:\n before %v\n after  %v", before, after)
					}
				})
			}
		}
	})
}

// prModes runs f in each way this platform may install a file: on Linux
// by the descriptor itself (linkat of /proc/self/fd, renameat2 with
// RENAME_EXCHANGE), by name with renameat2, and by name with link and
// unlink; elsewhere the hooks change nothing.
func prModes(t *testing.T, f func(t *testing.T)) {
	modes := []struct {
		name             string
		noFd, noRenameat bool
	}{
		{"descriptor", false, false},
		{"renameat2", true, false},
		{"link+unlink", true, true},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			prevFd, prevRn := tempfile.NoFdLink.Load(), tempfile.NoRenameat2.Load()
			tempfile.NoFdLink.Store(m.noFd)
			tempfile.NoRenameat2.Store(m.noRenameat)
			t.Cleanup(func() {
				tempfile.NoFdLink.Store(prevFd)
				tempfile.NoRenameat2.Store(prevRn)
			})
			f(t)
		})
	}
}

// prHook sets one of the package's test hooks for one test.
func prHook(t *testing.T, hook *func(string), f func(string)) {
	t.Helper()
	*hook = f
	t.Cleanup(func() { *hook = nil })
}

// prWindowSwaps replace a name in the window: renamed over (the file is
// left with no name at all), or moved away first (the file keeps a name
// elsewhere, which a link by descriptor can still bind) and a stranger put
// in its place.
var prWindowSwaps = []struct {
	name string
	swap func(t *testing.T, name string)
}{
	{"renamed over", func(t *testing.T, name string) { ftSwap(t, name, "stranger") }},
	{"moved away", func(t *testing.T, name string) {
		if err := os.Rename(name, name+".moved"); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte("stranger"), 0o600); err != nil {
			t.Fatal(err)
		}
	}},
}

// prExact reports whether this run installs by descriptor (Linux, not
// forced by name), where no window is left between check and rename.
func prExact() bool { return tempfile.InstallsByFd && !tempfile.NoFdLink.Load() }

// TestPersistWindow replaces the temporary name in the instant after
// Persist checked it and before it renames. Whatever happens, Persist
// never reports success with a stranger at the target. Installing by
// descriptor (Linux) leaves no window at all: the target ends up as this
// file or as it was, never the stranger; so does PersistNoClobber by
// name (it moves a stranger back). Persist by name may install the
// stranger, and says so (ErrReplaced): the window the docs admit.
func TestPersistWindow(t *testing.T) {
	prModes(t, func(t *testing.T) {
		for _, p := range prPersists {
			for _, tg := range prTargets {
				for _, sw := range prWindowSwaps {
					t.Run(p.name+"/"+tg.name+"/"+sw.name, func(t *testing.T) {
						dir := privateTmp(t)
						f := ftNew(t, "mine")
						old := f.Name()
						dst := filepath.Join(dir, "final")
						tg.setup(t, dst)
						_, existed := os.Lstat(dst)
						prHook(t, tempfile.HookAfterCheck, func(name string) {
							if name == old {
								sw.swap(t, name)
							}
						})
						err := p.call(f, dst)
						*tempfile.HookAfterCheck = nil
						fi, serr := f.Stat()
						if serr != nil {
							t.Fatal(serr)
						}
						ti, terr := os.Lstat(dst)
						if err == nil {
							if terr != nil || !os.SameFile(fi, ti) {
								t.Fatalf("%s succeeded, but %s is not the file (%v)", p.name, dst, terr)
							}
						} else if !errors.Is(err, tempfile.ErrReplaced) && !errors.Is(err, fs.ErrExist) {
							t.Fatalf("%s: %v, want success, ErrReplaced or ErrExist", p.name, err)
						}
						if prExact() && sw.name == "moved away" && existed != nil && err != nil {
							t.Errorf("%s to a free target: %v; the file still has a name, so its descriptor can be linked there", p.name, err)
						}
						noClobber := p.name == "PersistNoClobber"
						if !prExact() && !noClobber {
							return // by name, Persist may have installed the stranger, and said so
						}
						// Ours at the target, or what was there: never the stranger,
						// which stays where it was put.
						if got := ftRead(t, old); got != "stranger" {
							t.Errorf("the stranger at the old name now holds %q", got)
						}
						switch {
						case err == nil:
						case existed == nil:
							if got := ftRead(t, dst); got != "theirs" {
								t.Errorf("the target now holds %q, want it untouched", got)
							}
						default:
							ftMustNotExist(t, dst)
						}
					})
				}
			}
		}
	})
}

// TestWriteFileWindow is TestPersistWindow for WriteFile: the temporary
// name replaced after its check. WriteFile never reports success with a
// stranger at the target, and by descriptor the target is the new content
// or the old, never the stranger.
func TestWriteFileWindow(t *testing.T) {
	prModes(t, func(t *testing.T) {
		for _, tg := range prTargets {
			for _, sw := range prWindowSwaps {
				t.Run(tg.name+"/"+sw.name, func(t *testing.T) {
					dir := t.TempDir()
					dst := filepath.Join(dir, "final")
					tg.setup(t, dst)
					_, existed := os.Lstat(dst)
					var swapped bool
					prHook(t, tempfile.HookAfterCheck, func(name string) {
						if !swapped {
							swapped = true
							sw.swap(t, name)
						}
					})
					err := tempfile.WriteFile(dst, []byte("new"), 0o644)
					*tempfile.HookAfterCheck = nil
					got, rerr := os.ReadFile(dst)
					if err == nil && string(got) != "new" {
						t.Fatalf("WriteFile succeeded, but the target holds %q (%v)", got, rerr)
					}
					if err != nil && !errors.Is(err, tempfile.ErrReplaced) {
						t.Fatalf("WriteFile: %v, want success or ErrReplaced", err)
					}
					if !prExact() {
						return
					}
					switch {
					case err == nil:
					case existed == nil:
						if string(got) != "theirs" {
							t.Errorf("WriteFile failed (%v), and the target holds %q, want the old content", err, got)
						}
					default:
						ftMustNotExist(t, dst)
					}
					for _, n := range entries(t, dir) {
						p := filepath.Join(dir, n)
						if b, _ := os.ReadFile(p); p != dst && string(b) != "stranger" && !strings.HasSuffix(n, ".moved") {
							t.Errorf("left behind: %s holding %q", n, b)
						}
					}
				})
			}
		}
	})
}

// TestPersistOverDirectory: Persist never replaces a directory, empty or
// not (a rename refuses with EISDIR; an exchange must be undone), and the
// file stays usable under its old name.
func TestPersistOverDirectory(t *testing.T) {
	prModes(t, func(t *testing.T) {
		for _, full := range []bool{false, true} {
			t.Run("full "+strconv.FormatBool(full), func(t *testing.T) {
				dir := privateTmp(t)
				f := ftNew(t, "mine")
				old := f.Name()
				dst := filepath.Join(dir, "final")
				if err := os.Mkdir(dst, 0o700); err != nil {
					t.Fatal(err)
				}
				if full {
					if err := os.WriteFile(filepath.Join(dst, "inner"), []byte("inner"), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				before := prDir(t, dir)
				if err := f.Persist(dst); !isDirRefused(err) {
					t.Fatalf("Persist over a directory: %v, want EISDIR", err)
				}
				if after := prDir(t, dir); !maps.Equal(before, after) {
					t.Errorf("directory changed:\n before %v\n after  %v", before, after)
				}
				if full && ftRead(t, filepath.Join(dst, "inner")) != "inner" {
					t.Error("the directory's content changed")
				}
				if f.Name() != old || ftRead(t, old) != "mine" {
					t.Errorf("the file is no longer at %s", old)
				}
			})
		}
	})
}

// TestPersistAcrossDirectories: Persist and PersistNoClobber into another
// directory of the same file system, target free or taken, install the
// file and leave nothing behind; a replaced name is refused there too.
func TestPersistAcrossDirectories(t *testing.T) {
	prModes(t, func(t *testing.T) {
		for _, p := range prPersists {
			for _, tg := range prTargets {
				t.Run(p.name+"/"+tg.name, func(t *testing.T) {
					dir := privateTmp(t)
					sub := filepath.Join(dir, "sub")
					if err := os.Mkdir(sub, 0o700); err != nil {
						t.Fatal(err)
					}
					dst := filepath.Join(sub, "final")
					tg.setup(t, dst)
					_, existed := os.Lstat(dst)
					f := ftNew(t, "mine")
					err := p.call(f, dst)
					if existed == nil && p.name == "PersistNoClobber" {
						if !errors.Is(err, fs.ErrExist) {
							t.Fatalf("%s over an existing target: %v, want fs.ErrExist", p.name, err)
						}
						return
					}
					if err != nil {
						t.Fatalf("%s: %v", p.name, err)
					}
					if got := ftRead(t, dst); got != "mine" {
						t.Errorf("target holds %q", got)
					}
					if got := entries(t, dir); !slices.Equal(got, []string{"sub"}) {
						t.Errorf("left behind in the temp directory: %q", got)
					}

					g := ftNew(t, "mine too")
					ftSwap(t, g.Name(), "stranger")
					if err := p.call(g, dst); !errors.Is(err, tempfile.ErrReplaced) {
						t.Errorf("%s of a replaced name: %v, want ErrReplaced", p.name, err)
					}
					if got := ftRead(t, dst); got != "mine" {
						t.Errorf("target holds %q after a refused Persist", got)
					}
				})
			}
		}
	})
}
