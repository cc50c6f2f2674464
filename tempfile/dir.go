package tempfile

import (
	"cmp"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

var (
	dirOverride atomic.Pointer[string] // the SetDir value
	dirDefault  atomic.Pointer[string] // the probed default, once resolved
	dirMu       sync.Mutex             // serialises the probe
)

// Dir returns the directory in which temporary files are made when no
// directory is given (the seed's tempdir). It is the [SetDir] value if one
// is set; otherwise the first of $TMPDIR, $TEMP, $TMP, the platform's
// usual directories (/tmp, /var/tmp, /usr/tmp on Unix) and the working
// directory in which a file can really be created and removed. The result
// is absolute and is cached for the life of the process.
//
// If no candidate is writable, Dir returns the first candidate, so that the
// next create fails with a clear error naming it.
func Dir() string {
	if d := dirOverride.Load(); d != nil {
		return *d
	}
	if d := dirDefault.Load(); d != nil {
		return *d
	}
	dirMu.Lock()
	defer dirMu.Unlock()
	if d := dirDefault.Load(); d != nil {
		return *d
	}
	d := probeDirs(candidateDirs())
	dirDefault.Store(&d)
	return d
}

// SetDir sets the directory returned by [Dir] for the whole process. As in
// the seed, the value is not checked: a missing or unwritable directory
// surfaces as a clear error at the next create. A relative dir is made
// absolute against the current working directory. SetDir("") restores the
// default, which is resolved again at the next use.
func SetDir(dir string) {
	if dir == "" {
		dirOverride.Store(nil)
		dirDefault.Store(nil)
		return
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	dirOverride.Store(&dir)
}

// candidateDirs lists the directories Dir tries, in order.
func candidateDirs() []string {
	var dirs []string
	for _, env := range []string{"TMPDIR", "TEMP", "TMP"} {
		if d := os.Getenv(env); d != "" {
			dirs = append(dirs, d)
		}
	}
	dirs = append(dirs, platformDirs()...)
	if wd, err := os.Getwd(); err == nil {
		dirs = append(dirs, wd)
	}
	return dirs
}

// probeDirs returns the first directory in which a file can be created,
// written and removed. Like Python, it trusts no permission bits, only a
// real attempt: a read-only mount or a full quota shows up only then.
func probeDirs(dirs []string) string {
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		if probe(abs) == nil {
			return abs
		}
	}
	if len(dirs) > 0 {
		if abs, err := filepath.Abs(dirs[0]); err == nil {
			return abs
		}
	}
	return os.TempDir()
}

func probe(dir string) error {
	f, err := createFile("probe", resolved{dir: dir, prefix: defaultPrefix, suffix: ".probe", perm: 0o600})
	if err != nil {
		return err
	}
	_, werr := f.Write([]byte("probe"))
	cerr := f.Close()
	return cmp.Or(werr, cerr, os.Remove(f.Name()))
}
