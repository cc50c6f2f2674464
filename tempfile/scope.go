package tempfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/go-multierror"

	"github.com/magekit/temp/internal/scopehook"
)

// A scope's directory, parent/<id>, sits beside its lock file,
// parent/<id>.lock, where id is <label>.<pid>.<digits>. The lock file comes
// first and goes last, so a crash at any point leaves either nothing, a
// lone lock file, or a directory with its lock file: all of which Sweep
// recognises. Keep renames the lock file to <id>.kept, which Sweep never
// looks at.
const (
	lockExt = ".lock"
	keptExt = ".kept"
)

// live maps the id of each of this process's open scopes to its *Scope.
// It has two jobs. It keeps every scope reachable until Cleanup releases
// it: a program may drop the *Scope and keep only its path, and the lock
// file's *os.File must not be closed by the garbage collector then, which
// would drop the flock and let a Sweep remove the scope under its owner.
// And Sweep and Scopes skip these ids without touching their lock files:
// a second guard for file systems (some NFS setups) that emulate flock
// with process-wide POSIX locks, which a mere open and close of the lock
// file in this process would drop.
var live sync.Map

// Scope is a private directory (0700, owned by the caller) that holds
// everything made through it and is removed as one unit by
// [Scope.Cleanup]. While the scope lives it holds an exclusive lock that
// the kernel releases when the process dies, however it dies, so [Sweep]
// can remove the scopes of dead processes and never a live one.
type Scope struct {
	mu      sync.RWMutex // Cleanup and Keep exclude the makers
	id      string
	label   string // as given to NewScope; the id holds labelSafe(label)
	path    string
	parent  *os.Root    // the per-user parent
	root    *os.Root    // the scope's directory
	dir     *os.File    // the same, for the *at calls that make things in it
	dirfd   int         // dir's descriptor, valid until release
	dirInfo fs.FileInfo // dir's identity, to tell it from whatever is at its name later
	lock    *os.File    // holds the lock for the scope's life
	kept    bool
	keepErr error // why Keep could not rename the lock file; Cleanup retries
	done    bool
	over    chan struct{} // closed when Cleanup has finished

	madeMu sync.Mutex // File runs under mu's read lock, so made needs its own
	made   []genName  // names of the files File made, for Cleanup (see remember)

	after func(error) // see scopehook.AfterCleanup
}

// NewScope creates a scope in the per-user parent Dir()/mgtemp-<uid>,
// creating that (0700) if needed. It refuses that parent if it is a
// symbolic link, not a directory, another user's or open to group or
// others (anyone can make that name first in a shared /tmp), and never
// writes into it then: the scope goes instead to a private fallback
// beside it, Dir()/mgtemp-<uid>.<digits>, found again by later scopes and
// covered by [Sweep] and [Scopes], and a warning says so on stderr, once
// per process. Only if no fallback can be made either does NewScope fail,
// with an error matching fs.ErrPermission that names the refused parent.
//
// name labels the directory (a build target, say); it may not hold a path
// separator or NUL, and "" means "scope". The directory's name holds the
// label with each space, control character and each of :;\*?"<>|
// replaced by '_' (they break PATH-like lists, or Windows refuses them);
// [Scopes] reports the label exactly as given.
//
// NewScope(name) is NewScopeIn("", name).
func NewScope(name string) (*Scope, error) { return NewScopeIn("", name) }

// NewScopeIn is [NewScope] in dir rather than Dir(): the scope is made
// in dir/mgtemp-<uid> (or its private fallback beside it), with the same
// checks, and [Sweep](dir) and [Scopes](dir) find it. Scratch space on
// the file system of a build's output means no copy of gigabytes through
// a small tmpfs, and renames into the output (Persist, say) that never
// cross devices. dir must exist; "" means Dir(), and a relative dir is
// taken from the working directory (the scope's path is absolute).
func NewScopeIn(dir, name string) (*Scope, error) {
	if err := checkPattern("newscope", "name", name); err != nil {
		return nil, err
	}
	if name == "" {
		name = "scope"
	}
	prefix := labelSafe(name) + "." + strconv.Itoa(pid) + "."
	if err := checkLen("newscope", prefix, keptExt); err != nil { // the longest name a scope takes
		return nil, err
	}
	dir, err := scopeDir("newscope", dir)
	if err != nil {
		return nil, err
	}
	ppath, parent, err := openParent(dir)
	if err != nil {
		return nil, err
	}
	for range maxTries {
		id := makeName("", prefix, "").s
		s := &Scope{id: id, label: name, path: filepath.Join(ppath, id), parent: parent, over: make(chan struct{})}
		// Ours before its lock file exists: a Sweep or Scopes of this
		// process never opens it (see live), not even in the instant
		// between its creation and its flock.
		live.Store(id, s)
		if beforeLock != nil {
			beforeLock(ppath, id)
		}
		lock, err := newLock(parent, id+lockExt, labelContent(name))
		if err != nil {
			live.Delete(id)
			if isExist(err) || errors.Is(err, errLockLost) {
				continue
			}
			parent.Close()
			return nil, err
		}
		s.lock = lock
		if err := parent.Mkdir(id, 0o700); err != nil {
			return nil, joinErrs(err, s.release(true))
		}
		if s.root, err = parent.OpenRoot(id); err == nil {
			if s.dir, err = s.root.Open("."); err == nil {
				s.dirfd = int(s.dir.Fd())
				s.dirInfo, err = s.dir.Stat()
			}
		}
		if err != nil {
			// The lock file goes only with the directory: alone, the
			// directory would be an orphan; with it, a stale scope.
			rmErr := parent.Remove(id)
			return nil, joinErrs(err, rmErr, s.release(rmErr == nil || isNotExist(rmErr)))
		}
		return s, nil
	}
	parent.Close()
	return nil, errExhausted("newscope", ppath, prefix, "")
}

// beforeLock, if set (by the tests), runs just before a lock file is made.
var beforeLock func(parent, id string)

// errLockLost: a sweeper took the new lock file first; try another name.
var errLockLost = errors.New("lock file taken by a sweeper")

// newExt marks a lock file being made (see newLock).
const newExt = ".new"

// newLock creates and locks a fresh lock file, and writes content into
// it. It makes the file under a name Sweep and Scopes never take for a
// scope's, name+".new", locks and fills it there, and only then puts it
// at name (see placeLock: a hard link on Unix, a rename on Windows), which
// fails if name exists: so a lock file is never seen unlocked while its
// owner lives, and a Sweep cannot take a scope in the making for a dead
// one. (A sweeper may take the lock of the ".new" file first; the name is
// then lost, and the caller tries another.) Where that cannot be done (no
// hard links on the file system, say), it creates name itself, and checks
// after locking that the name still refers to its file.
func newLock(parent *os.Root, name string, content []byte) (*os.File, error) {
	tmp := name + newExt
	f, err := lockedFile(parent, tmp, content)
	if err != nil {
		return nil, err
	}
	if err := placeLock(parent, tmp, name, f); err != nil {
		f.Close()
		parent.Remove(tmp)
		switch {
		case isExist(err):
			return nil, err
		case isNotExist(err), errors.Is(err, errLockLost):
			// A sweeper took the ".new" file's lock before us, removed it
			// and let go: ours is a lock on a file without a name.
			return nil, errLockLost
		}
		return newLockDirect(parent, name, content)
	}
	return f, nil
}

// newLockDirect is newLock without the link: between create and lock, a
// sweeper may lock and remove the file as stale; so after locking, check
// that the name still refers to our file.
func newLockDirect(parent *os.Root, name string, content []byte) (*os.File, error) {
	f, err := lockedFile(parent, name, content)
	if err != nil {
		return nil, err
	}
	if !stillLinked(parent, name, f) {
		f.Close()
		parent.Remove(name)
		return nil, errLockLost
	}
	return f, nil
}

// lockedFile creates name (O_EXCL), locks it and writes content into it.
// The name holds our pid and digits this process never makes twice, so
// on failure the file is ours to remove, whoever holds its lock.
func lockedFile(parent *os.Root, name string, content []byte) (*os.File, error) {
	f, err := parent.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	ok, err := tryLock(f)
	if ok && len(content) > 0 {
		_, err = f.Write(content)
		ok = err == nil
	}
	if !ok {
		f.Close()
		parent.Remove(name)
		if err == nil {
			err = errLockLost
		}
		return nil, err
	}
	return f, nil
}

// stillLinked reports whether name in parent is the open file f.
func stillLinked(parent *os.Root, name string, f *os.File) bool {
	li, err := parent.Lstat(name)
	if err != nil {
		return false
	}
	fi, err := f.Stat()
	return err == nil && os.SameFile(li, fi)
}

// Path returns the scope's directory, absolute.
func (s *Scope) Path() string { return s.path }

// scopePrefix starts every name made inside a scope.
const scopePrefix = "tmp"

// closedErr is the error for a scope used after Cleanup.
func (s *Scope) closedErr(op string) error {
	return &fs.PathError{Op: op, Path: s.path, Err: fs.ErrClosed}
}

// Name returns a fresh absolute name inside the scope, ending in suffix,
// at which nothing exists. Unlike [Mktemp] this is safe to create later:
// nobody else can write in the scope's directory. It makes a new name;
// [File.Name] and os.File's Name report the name a file already has.
func (s *Scope) Name(suffix string) (string, error) {
	return scopeMake(s, "name", suffix, s.freeIn)
}

// File creates a new file inside the scope, mode 0600, open for reading
// and writing. Cleanup removes it; closing it is the caller's job.
func (s *Scope) File(suffix string) (*os.File, error) {
	var f *os.File
	_, err := scopeMake(s, "file", suffix, func(name genName, path string) (err error) {
		if f, err = s.createIn(name, path); err == nil {
			s.remember(name)
		}
		return err
	})
	return f, err
}

// Mkdir creates a new directory inside the scope, mode 0700, and returns
// its absolute path.
func (s *Scope) Mkdir(suffix string) (string, error) {
	return scopeMake(s, "mkdir", suffix, s.mkdirIn)
}

// scopeMake runs make on fresh names in the scope, given as a name in the
// directory and as a full path, until one is free; it returns the path.
func scopeMake(s *Scope, op, suffix string, make func(name genName, path string) error) (string, error) {
	if err := checkPattern(op, "suffix", suffix); err != nil {
		return "", err
	}
	if err := checkLen(op, scopePrefix, suffix); err != nil {
		return "", err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.done {
		return "", s.closedErr(op)
	}
	r := resolved{dir: s.path, prefix: scopePrefix, suffix: suffix}
	return create(op, r, func(path genName) (string, error) {
		return path.s, make(path.tail(len(s.path)+1), path.s)
	})
}

// Cleanup removes the scope's directory and everything in it, then its
// lock file, and releases the lock. It restores write permission where a
// read-only file or directory is in the way (inside the scope only), and
// works through an os.Root, so a symbolic link, or a directory swapped for
// one while it runs, never leads it outside the scope.
//
// Every failure is reported, in a *multierror.Error. The scope is released
// all the same (no descriptor stays open) with its lock file left in
// place: what remains is stale from then on, and the next [Sweep], in
// this process or another, removes it once it can.
//
// Cleanup is idempotent: later calls return nil. After [Scope.Keep] it
// removes nothing and only releases the lock.
func (s *Scope) Cleanup() error {
	released, err := s.cleanup()
	if released && s.after != nil {
		s.after(err) // see scopehook.AfterCleanup
	}
	return err
}

func init() {
	scopehook.AfterCleanup = func(s any, f func(error)) { s.(*Scope).after = f }
}

// cleanup is Cleanup's work; released reports whether this call did it.
func (s *Scope) cleanup() (released bool, _ error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return false, nil
	}
	var errs *multierror.Error
	removed := false
	if s.kept {
		if s.keepErr != nil {
			// Without its .kept name a Sweep after we exit would take it.
			if err := s.markKept(); err != nil {
				errs = multierror.Append(errs, err)
			}
		}
	} else if err := s.removeTree(); err != nil {
		errs = multierror.Append(errs, err)
	} else {
		removed = true
	}
	s.done = true
	defer close(s.over)
	if err := s.release(removed); err != nil {
		errs = multierror.Append(errs, err)
	}
	return true, errs.ErrorOrNil()
}

// removeTree removes the scope's directory. The quick way: unlink the
// files File made by name, then remove the directory, now empty. That is
// only for the directory the scope made, still at its name: one moved
// away is no longer Cleanup's to empty. Whatever is left after that (or
// instead of it) goes through the parent's os.Root: something File did
// not make, a name that could not be unlinked, files past maxMade.
func (s *Scope) removeTree() error {
	if !s.stillHere() {
		// Whatever is at the name now is not the scope's directory: the
		// careful pass must open it afresh, not empty the moved one
		// through s.root.
		s.made = nil
		return removeTree(s.parent, s.id, nil)
	}
	if s.removeMade() && s.parent.Remove(s.id) == nil {
		return nil
	}
	return removeTree(s.parent, s.id, s.root)
}

// stillHere reports whether the scope's name in its parent still names
// the directory the scope made (not a link, not a replacement).
func (s *Scope) stillHere() bool {
	fi, err := s.parent.Lstat(s.id)
	return err == nil && os.SameFile(fi, s.dirInfo)
}

// maxMade bounds the names a scope remembers: past it, Cleanup finds the
// rest by reading the directory. The memory it bounds is 16 bytes a name,
// plus the 2 KiB name blocks (see newBytes) those names keep alive: about
// 256 KiB for 4096 files made one after another, more if other names
// were carved from the same blocks in between.
const maxMade = 4096

// Done returns a channel that is closed once Cleanup has run: the scope
// is gone, or released (kept, or left to Sweep after a failure). Watchers
// use it to stop watching.
func (s *Scope) Done() <-chan struct{} { return s.over }

// release closes the scope's handles, removing the lock file first if
// asked. The lock file goes before the lock: a sweeper that opens it in
// between finds it unlinked and leaves it. The id leaves the live map
// last.
func (s *Scope) release(removeLock bool) error {
	// Ours until the lock file is gone or closed (see live): only then may
	// a Sweep of this process look at it.
	defer live.Delete(s.id)
	var errs []error
	if removeLock {
		if err := dropLock(s.parent, s.id+lockExt); err != nil && !isNotExist(err) {
			errs = append(errs, err)
		}
	}
	if s.dir != nil {
		errs = append(errs, s.dir.Close())
	}
	if s.root != nil {
		errs = append(errs, s.root.Close())
	}
	errs = append(errs, s.lock.Close(), s.parent.Close())
	return joinErrs(errs...)
}

// Keep makes the scope permanent: Cleanup then leaves everything in
// place, and Sweep never removes it, even after the process exits.
func (s *Scope) Keep() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done || s.kept {
		return
	}
	s.kept = true
	s.keepErr = s.markKept()
	s.made = nil // Cleanup will remove nothing
}

// markKept renames the lock file to the .kept name that Sweep never
// looks at. If that fails, the scope is still kept for this process's
// life, and Cleanup tries again and reports it.
func (s *Scope) markKept() error {
	return s.parent.Rename(s.id+lockExt, s.id+keptExt)
}

// Env returns the environment that points a child process's temporary
// files into the scope: TMPDIR (Unix), TEMP and TMP (Windows, and many
// tools elsewhere) all set to [Scope.Path]. Pass it to mage's sh.RunWith,
// or append it to os.Environ() for an exec.Cmd's Env. What the child
// leaves in its temporary directory (go build's work directories, a
// compiler's scratch files) then goes with the scope: at Cleanup, or after
// a kill -9 at the next [Sweep]. Each call returns a fresh map, the
// caller's to change.
func (s *Scope) Env() map[string]string {
	return map[string]string{"TMPDIR": s.path, "TEMP": s.path, "TMP": s.path}
}

// CreateTemp creates a new file inside the scope, as the package-level
// [CreateTemp] does in a directory: named o.Prefix + random digits +
// o.Suffix, mode o.Perm (0600 if 0), opened with o.Flag added, and
// O_EXCL|O_NOFOLLOW|O_CLOEXEC always. An empty o.Prefix means "tmp", as for
// [Scope.File]. o.Dir must be "": the scope is the directory (anything
// else is refused with an error matching fs.ErrInvalid, as is every input
// CreateTemp refuses). Cleanup removes the file; closing it is the
// caller's job. After Cleanup it fails with fs.ErrClosed.
func (s *Scope) CreateTemp(o Options) (*os.File, error) {
	const op = "createtemp"
	r, err := s.resolveIn(op, o, 0o600)
	if err != nil {
		return nil, err
	}
	s.mu.RLock() // Cleanup waits until the file is made, and remembered
	defer s.mu.RUnlock()
	if s.done {
		return nil, s.closedErr(op)
	}
	return create(op, r, func(name genName) (*os.File, error) {
		tail := name.tail(len(s.path) + 1)
		f, err := s.createWith(tail, name.s, r.flag, r.perm)
		if err != nil {
			return nil, err
		}
		s.remember(tail)
		return f, nil
	})
}

// MkdirTemp creates a new directory inside the scope, as the
// package-level [MkdirTemp] does in a directory: named o.Prefix + random
// digits + o.Suffix ("tmp" for an empty prefix, as for [Scope.Mkdir]),
// mode o.Perm (0700 if 0). It returns the directory's absolute path, or ""
// with an error. o.Dir must be "", and bad input is refused as by
// [Scope.CreateTemp]; after Cleanup it fails with fs.ErrClosed.
func (s *Scope) MkdirTemp(o Options) (string, error) {
	const op = "mkdirtemp"
	r, err := s.resolveIn(op, o, 0o700)
	if err != nil {
		return "", err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.done {
		return "", s.closedErr(op)
	}
	return create(op, r, func(name genName) (string, error) {
		if err := s.mkdirWith(name.tail(len(s.path)+1), name.s, r.perm); err != nil {
			return "", err
		}
		return name.s, nil
	})
}

// resolveIn checks o for a maker inside the scope: o.Dir must be empty,
// and the rest is checked and defaulted as everywhere, in the scope's
// directory and with the scope's prefix.
func (s *Scope) resolveIn(op string, o Options, defPerm fs.FileMode) (resolved, error) {
	if o.Dir != "" {
		return resolved{}, &fs.PathError{Op: op, Path: o.Dir,
			Err: fmt.Errorf("%w: Options.Dir must be empty: a scope makes things in its own directory", fs.ErrInvalid)}
	}
	o.Dir = s.path
	if o.Prefix == "" {
		o.Prefix = scopePrefix
	}
	return o.resolve(op, defPerm)
}

// A scope's label is often a mage target's name, "docker:push" or
// "test:e2eCerts", and may hold anything but a path separator or NUL. Its
// directory's name must not: a ':' or ';' in $TMPDIR breaks every
// PATH-like list it is put in (GOPATH, CLASSPATH, PATH itself), Windows
// refuses :*?"<>| and control characters in a name, and a space or a
// backslash breaks careless shell scripts. So the name on disk holds
// labelSafe(label), and the label itself, exactly as given, is written
// into the lock file, where Scopes reads it back.

// labelReplacement stands for each character labelSafe replaces.
const labelReplacement = '_'

// labelUnsafe are the printable characters labelSafe replaces.
const labelUnsafe = ` :;\*?"<>|`

// labelSafe returns label as a scope's directory name holds it: each
// space, control character and each of :;\*?"<>| replaced by '_', and a
// name that Windows reserves for a device (CON, NUL, COM1, CONIN$...) as the
// part before the first dot given a '_' after it. Every other byte is
// kept as it is: case, non-ASCII letters, even bytes that are not UTF-8.
func labelSafe(label string) string {
	s := label
	if i := strings.IndexFunc(label, func(r rune) bool { return r < 0x80 && unsafeInLabel(byte(r)) }); i >= 0 {
		b := []byte(label)
		for j := i; j < len(b); j++ {
			if unsafeInLabel(b[j]) {
				b[j] = labelReplacement
			}
		}
		s = string(b)
	}
	base, rest, dot := strings.Cut(s, ".")
	if reservedOnWindows(base) {
		s = base + string(labelReplacement)
		if dot {
			s += "." + rest
		}
	}
	return s
}

// unsafeInLabel reports whether labelSafe replaces the byte c. Each is
// ASCII, so never part of a multi-byte UTF-8 sequence.
func unsafeInLabel(c byte) bool {
	return c < 0x20 || c == 0x7f || strings.IndexByte(labelUnsafe, c) >= 0
}

// reservedOnWindows reports whether name is one of Windows's device names,
// which no file may have even with an extension: Go's list (see
// filepath.IsLocal), with COM and LPT taking the superscript digits ¹²³
// too, and the console's CONIN$ and CONOUT$.
func reservedOnWindows(name string) bool {
	switch strings.ToUpper(name) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
		"COM\u00b9", "COM\u00b2", "COM\u00b3", "LPT\u00b9", "LPT\u00b2", "LPT\u00b3":
		return true
	}
	return false
}

// The lock file holds the label from labelOffset on, when labelSafe
// changed it (otherwise the name on disk says it). Byte 0 is left alone:
// Windows's LockFileEx locks it, and a locked byte cannot be read from
// another handle.
const labelOffset = 1

// maxLabelRead bounds what Scopes reads back: a label fits in a name.
const maxLabelRead = maxNameLen

// labelContent is what a scope labelled label writes into its lock file:
// nothing if the name on disk says it all.
func labelContent(label string) []byte {
	if labelSafe(label) == label {
		return nil
	}
	return append([]byte{'\n'}, label...)
}

// labelFrom returns the label read back from a lock file (read, from
// labelOffset on), if it is one that gives onDisk and that NewScope takes;
// otherwise onDisk. It is checked as a label ("name"), not as a prefix:
// on Windows a prefix may not hold :*?"<>| or a control character, a
// label may, since labelSafe replaces them.
func labelFrom(read []byte, onDisk string) string {
	if l := string(read); l != "" && labelSafe(l) == onDisk && checkPattern("", "name", l) == nil {
		return l
	}
	return onDisk
}
