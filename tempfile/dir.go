package tempfile

import (
	"cmp"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
)

var (
	dirOverride atomic.Pointer[string]   // the SetDir value
	dirDefault  atomic.Pointer[string]   // the probed default, once resolved
	dirReport   atomic.Pointer[dirProbe] // how dirDefault was chosen
	dirMu       sync.Mutex               // serialises the probe
)

// Dir returns the directory in which temporary files are made when no
// directory is given (the classic module's tempdir). It is the [SetDir]
// value if one is set; otherwise the first of $TMPDIR, $TEMP, $TMP, the
// platform's usual directories (/tmp, /var/tmp, /usr/tmp on Unix) and the
// working directory in which a file can really be created and removed. The
// result is absolute and is cached for the life of the process.
//
// [DirChoice] says why candidates before it were passed over. If no
// candidate is writable, Dir returns the first candidate, so that the
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
	p := probeDirs(candidateDirs())
	dirReport.Store(&p)
	dirDefault.Store(&p.dir)
	return p.dir
}

// dirProbe records how Dir's default was chosen, for DirChoice.
type dirProbe struct {
	dir     string
	skipped []error
	ok      bool
}

// DirChoice reports how [Dir] chose its directory: dir is what Dir
// returns; skipped says, for each candidate tried before it, why it was
// passed over (an unusable $TMPDIR is not an error — Python's tempfile
// falls back the same way — but a program may want to say so); ok is
// false when no candidate was usable, in which case dir is the first
// candidate and skipped names every one. Each error is an *fs.PathError
// whose Op names where the candidate came from ("TMPDIR", "TEMP", "TMP",
// "default", "working directory"), whose Path is the directory and whose
// Err is the reason, so errors.Is(err, fs.ErrNotExist) and the like hold.
//
// DirChoice resolves the default if Dir has not yet. After [SetDir] with
// a non-empty dir it returns that dir, no errors and true: nothing was
// probed. The slice is the caller's own.
func DirChoice() (dir string, skipped []error, ok bool) {
	if d := dirOverride.Load(); d != nil {
		return *d, nil, true
	}
	Dir()
	dirMu.Lock() // the probe that Dir ran may be another goroutine's
	p := dirReport.Load()
	dirMu.Unlock()
	if p == nil { // SetDir raced with us: report what Dir returns now
		return Dir(), nil, true
	}
	return p.dir, slices.Clone(p.skipped), p.ok
}

// SetDir sets the directory returned by [Dir] for the whole process. As in
// the classic module, the value is not checked: a missing or unwritable
// directory surfaces as a clear error at the next create. A relative dir is
// made absolute against the current working directory. SetDir("") restores
// the default, which is resolved again at the next use.
func SetDir(dir string) {
	if dir == "" {
		dirOverride.Store(nil)
		dirMu.Lock()
		dirDefault.Store(nil)
		dirReport.Store(nil)
		dirMu.Unlock()
		return
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	dirOverride.Store(&dir)
}

// candidate is a directory Dir may use, and where it came from.
type candidate struct{ from, dir string }

// candidateDirs lists the directories Dir tries, in order.
func candidateDirs() []candidate {
	var dirs []candidate
	for _, env := range []string{"TMPDIR", "TEMP", "TMP"} {
		if d := os.Getenv(env); d != "" {
			dirs = append(dirs, candidate{env, d})
		}
	}
	for _, d := range platformDirs() {
		dirs = append(dirs, candidate{"default", d})
	}
	if wd, err := os.Getwd(); err == nil {
		dirs = append(dirs, candidate{"working directory", wd})
	}
	return dirs
}

// probeDirs returns the first directory in which a file can be created,
// written and removed, and why each one before it was not. Like Python,
// it trusts no permission bits, only a real attempt: a read-only mount or
// a full quota shows up only then.
func probeDirs(dirs []candidate) dirProbe {
	var p dirProbe
	for _, c := range dirs {
		abs, err := filepath.Abs(c.dir)
		if err == nil {
			if err = probe(abs); err == nil {
				p.dir, p.ok = abs, true
				return p
			}
		} else {
			abs = c.dir
		}
		p.skipped = append(p.skipped, &fs.PathError{Op: c.from, Path: abs, Err: probeReason(err)})
	}
	p.dir = os.TempDir()
	if len(dirs) > 0 {
		if abs, err := filepath.Abs(dirs[0].dir); err == nil {
			p.dir = abs
		}
	}
	return p
}

// probeReason is the cause of a failed probe without the probe file's
// name, which means nothing to a reader: "no such file or directory",
// "not a directory", "read-only file system".
func probeReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
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

// prefixOverride holds the SetPrefix value; nil means the default.
var prefixOverride atomic.Pointer[string]

// defaultPrefix is the classic module's per-process prefix ("@<pid>." on
// Unix, "<pid>-" on Windows): it tells whose file a leftover was.
var defaultPrefix = platformPrefix(pid)

// pid is this process's id, read once: os.Getpid is a syscall each time,
// and a Go process keeps its pid (it never forks without an exec).
var pid = os.Getpid()

// Prefix returns the prefix of the final component of the names made by
// [Mktemp] and the other functions when no prefix is given (the classic
// module's gettempprefix). It does not contain a directory.
func Prefix() string {
	if p := prefixOverride.Load(); p != nil {
		return *p
	}
	return defaultPrefix
}

// SetPrefix sets the prefix returned by [Prefix] for the whole process.
// A prefix holding a path separator or NUL is rejected with an error that
// matches fs.ErrInvalid, and the prefix is left as it was. SetPrefix("")
// restores the default.
func SetPrefix(prefix string) error {
	if err := checkPattern("setprefix", "prefix", prefix); err != nil {
		return err
	}
	if prefix == "" {
		prefixOverride.Store(nil)
		return nil
	}
	prefixOverride.Store(&prefix)
	return nil
}
