package tempfile

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-multierror"
)

// unsafeDirError says why the per-user parent was refused. It matches
// fs.ErrPermission: using it would hand control of our files to someone.
// fallback, if set, is why no private fallback could be made instead.
type unsafeDirError struct {
	reason   string
	fallback error
}

func (e *unsafeDirError) Error() string {
	s := e.reason + "; refusing to use it"
	if e.fallback != nil {
		s += ", and no private fallback could be made: " + e.fallback.Error()
	}
	return s
}

func (e *unsafeDirError) Is(target error) bool { return target == fs.ErrPermission }

func unsafeDir(path, reason string) error {
	return &fs.PathError{Op: "scope parent", Path: path, Err: &unsafeDirError{reason: reason}}
}

// isRefused reports whether err is a refusal of a parent by openChecked.
func isRefused(err error) bool {
	var u *unsafeDirError
	return errors.As(err, &u)
}

// openChecked opens the parent of scopes at path. It refuses a symbolic
// link, a non-directory, and a directory that another user owns or that
// group or others can enter: any of those would let another user read,
// plant or remove files in our scopes. The checks are made on the
// directory the returned Root holds, so a swap after them changes nothing.
func openChecked(path string) (*os.Root, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, unsafeDir(path, "is a symbolic link")
	}
	if !fi.IsDir() {
		return nil, unsafeDir(path, "is not a directory")
	}
	if err := checkPrivate(path, fi); err != nil {
		return nil, err
	}
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	ri, err := r.Stat(".")
	if err != nil {
		r.Close()
		return nil, err
	}
	if !os.SameFile(fi, ri) {
		r.Close()
		return nil, unsafeDir(path, "was replaced while being opened")
	}
	return r, nil
}

// The per-user parent of scopes in a temp directory is
// tmpdir/mgtemp-<uid>. Anyone can make that name first in a shared /tmp
// (a directory of their own, a symbolic link, a file), and a refused
// parent must not stop a build: the scopes then go to a private fallback
// beside it, tmpdir/mgtemp-<uid>.<digits>, whose name nobody can guess
// ahead, made 0700 and held to the same checks. Sweep and Scopes look in
// the parent and in every fallback that passes the checks, so a fallback
// made by one process is found by the next; nothing is ever written into
// a refused directory.
//
// Finding the fallbacks means reading the whole temp directory, which on
// a shared machine may hold a hundred thousand entries (70 ms on a fast
// disk, for each Sweep). So Sweep and Scopes read it only where a
// fallback may hold scopes: when the parent is refused or missing, or
// when the parent holds the marker fallbacksMarker. That marker is
// written by whoever makes the parent (a refused one can only become
// usable by being removed and made again) if fallbacks are there then,
// and by whoever makes a fallback if the parent is usable by then: one of
// the two always sees the other's directory, so no fallback made while
// the parent was refused is left unswept once it is not.
//
// One case is left to the user: a parent of their own that was refused
// for its mode (chmod -R 777, say) and later given 0700 again by hand is
// usable without having been made again, so nothing marks it; its
// fallbacks are swept again once the marker is there
// (touch <parent>/.fallbacks).

// openParent opens the per-user parent of scopes in tmpdir for a new
// scope, creating it (0700) if needed, or a fallback if it is refused.
func openParent(tmpdir string) (string, *os.Root, error) {
	if err := checkDir("scope parent", tmpdir); err != nil {
		return "", nil, err
	}
	path := filepath.Join(tmpdir, parentName())
	made := true
	if err := os.Mkdir(path, 0o700); err != nil {
		if !isExist(err) {
			return "", nil, err
		}
		made = false
	}
	r, err := openChecked(path)
	if err == nil && made {
		// Fallbacks from when another's directory held the name: mark
		// them for Sweep (see fallbacksMarker).
		if names, _ := fallbackNames(tmpdir); anyFallback(tmpdir, names) {
			markFallbacks(r)
		}
	}
	if err == nil || !isRefused(err) {
		return path, r, err
	}
	fpath, r, ferr := openFallback(tmpdir, path)
	if ferr != nil {
		var u *unsafeDirError
		errors.As(err, &u)
		u.fallback = ferr
		return "", nil, err
	}
	warnRefused(err, fpath)
	return fpath, r, nil
}

// openFallback opens the first of this user's fallbacks in tmpdir that
// passes the checks, or makes one; main is the refused parent.
func openFallback(tmpdir, main string) (string, *os.Root, error) {
	if path, ok := lastFallback.Load(tmpdir); ok {
		// The one this process used last: no need to read the whole
		// temp directory for each scope while the parent is refused.
		if r, err := openChecked(path.(string)); err == nil {
			return path.(string), r, nil
		}
	}
	path, r, err := findFallback(tmpdir, main)
	if err == nil {
		lastFallback.Store(tmpdir, path)
	}
	return path, r, err
}

// lastFallback maps a temp directory to the fallback this process used
// last in it.
var lastFallback sync.Map

// findFallback is openFallback without lastFallback.
func findFallback(tmpdir, main string) (string, *os.Root, error) {
	// A temp directory that may be searched but not listed (mode 1733, a
	// hardening of /tmp) hides the fallbacks there are, but a new one can
	// still be made: names is then empty. (Sweep cannot find them either,
	// and says so.)
	names, _ := fallbackNames(tmpdir)
	for _, name := range names {
		path := filepath.Join(tmpdir, name)
		if r, err := openChecked(path); err == nil {
			return path, r, nil
		}
	}
	prefix := parentName() + "."
	for range maxTries {
		path := makeName(tmpdir, prefix, "").s
		if err := os.Mkdir(path, 0o700); err != nil {
			if isExist(err) {
				continue
			}
			return "", nil, err
		}
		r, err := openChecked(path)
		if err == nil {
			// The refused parent may have been made again, ours, since
			// we looked: then it must say that a fallback is here.
			if m, err := openChecked(main); err == nil {
				markFallbacks(m)
				m.Close()
			}
		}
		return path, r, err
	}
	return "", nil, errExhausted("scope parent", tmpdir, prefix, "")
}

// fallbacksMarker, an empty file in the per-user parent, says that
// fallbacks of it may hold scopes, so that Sweep and Scopes read the temp
// directory to find them (see openParent). It is never removed: a
// fallback stays, empty, once made (removing it would race with a
// process about to make a scope in it).
const fallbacksMarker = ".fallbacks"

// markFallbacks makes the marker in the parent r.
func markFallbacks(r *os.Root) {
	if f, err := r.OpenFile(fallbacksMarker, os.O_WRONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
}

// anyFallback reports whether one of names in tmpdir is a fallback that
// passes the checks.
func anyFallback(tmpdir string, names []string) bool {
	for _, name := range names {
		if r, err := openChecked(filepath.Join(tmpdir, name)); err == nil {
			r.Close()
			return true
		}
	}
	return false
}

// fallbackScans counts the reads of a temp directory for fallbacks (the
// tests check that a usable, unmarked parent costs none).
var fallbackScans atomic.Int64

// fallbackNames lists, sorted, the names in tmpdir of the form of this
// user's fallback parents. Whether each is one is for openChecked to say.
func fallbackNames(tmpdir string) ([]string, error) {
	fallbackScans.Add(1)
	d, err := os.Open(tmpdir)
	if err != nil {
		return nil, err
	}
	all, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return nil, err
	}
	prefix := parentName() + "."
	var names []string
	for _, n := range all {
		if digits, ok := strings.CutPrefix(n, prefix); ok && len(digits) == digitsWidth && allDigits(digits) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

// warnOnce keeps the refusal warning to one line per process.
var warnOnce sync.Once

// warnRefused says once on stderr that the per-user parent was refused,
// and where the scopes go instead (fallback, or "" when only looking).
func warnRefused(err error, fallback string) {
	warnOnce.Do(func() {
		where := "its private fallbacks " + parentName() + ".*"
		if fallback != "" {
			where = fallback
		}
		fmt.Fprintf(os.Stderr, "tempfile: warning: %v; using %s instead\n", err, where)
	})
}

// parentDir is one parent of scopes, opened and listed by listParents.
type parentDir struct {
	path  string
	root  *os.Root
	dir   *os.File // the same directory: its descriptor serves the lock probes (sys_unix.go)
	names []string // its entries; their types are checked where it matters (no lstat each)
	has   map[string]bool
}

// scopeDir returns the directory of scopes that dir names: Dir() for "",
// else dir made absolute. A NUL in it is fs.ErrInvalid.
func scopeDir(op, dir string) (string, error) {
	if dir == "" {
		dir = Dir() // absolute, but SetDir takes any value
	}
	if err := checkDir(op, dir); err != nil {
		return "", err
	}
	return filepath.Abs(dir)
}

// listParents opens and lists the per-user parent of scopes in dir (""
// means Dir()) and every fallback of it that passes the checks. A
// missing or refused parent is skipped (a refusal with a warning), and so
// is a fallback that fails the checks: it is not ours. Failures to open
// or read a parent are returned in err, beside the parents that could be
// read; the caller closes each root.
func listParents(dir string) (list []*parentDir, err error) {
	dir, err = scopeDir("scope parent", dir)
	if err != nil {
		return nil, err
	}
	var errs []error
	add := func(path string, r *os.Root) {
		d, err := r.Open(".")
		var names []string
		if err == nil {
			if names, err = d.Readdirnames(-1); err != nil {
				d.Close()
			}
		}
		if err != nil {
			r.Close()
			errs = append(errs, err)
			return
		}
		has := make(map[string]bool, len(names))
		for _, n := range names {
			has[n] = true
		}
		list = append(list, &parentDir{path: path, root: r, dir: d, names: names, has: has})
	}
	main := filepath.Join(dir, parentName())
	r, err := openChecked(main)
	refused := isRefused(err)
	switch {
	case err == nil:
		add(main, r)
		if n := len(list); n > 0 && !list[n-1].has[fallbacksMarker] {
			// Usable, and no fallback was ever made beside it: no need
			// to read the whole temp directory (see fallbacksMarker).
			return list, joinErrs(errs...)
		}
	case refused:
		warnRefused(err, "")
	case !isNotExist(err):
		errs = append(errs, err)
	}
	names, err := fallbackNames(dir)
	if err != nil && refused {
		// The fallbacks are where this user's scopes are: say why they
		// cannot be found. (Otherwise a temp directory that can be
		// searched but not listed just has no fallbacks to offer.)
		errs = append(errs, err)
	}
	for _, name := range names {
		path := filepath.Join(dir, name)
		if r, err := openChecked(path); err == nil {
			add(path, r)
		}
	}
	return list, joinErrs(errs...)
}

func closeParents(list []*parentDir) {
	for _, p := range list {
		p.dir.Close()
		p.root.Close()
	}
}

// ScopeInfo describes a scope found by [Scopes].
type ScopeInfo struct {
	Path    string    // the scope's directory
	Label   string    // the name given to NewScope (a build target, say), exactly; for an orphan, as its directory's name holds it
	PID     int       // the process that made it
	Live    bool      // its lock is held: the owner is still running
	Kept    bool      // Keep was called: Sweep never removes it
	Orphan  bool      // a scope's directory with neither lock file nor keep marker: only a dead owner or a stray child leaves one, and Sweep removes it
	Created time.Time // when it was made
	Size    int64     // bytes in its regular files (not in a mount inside it)
}

// Scopes lists the scopes in dir's per-user parent ("" means Dir()) and
// its private fallbacks (see [NewScope]): live, stale, kept and orphans,
// sorted by name. A missing or refused parent lists nothing; a parent
// that cannot be read is reported in err, beside the scopes of those that
// could. Telling live from stale takes the lock for an instant; that
// never disturbs a live scope, whose lock cannot be taken.
func Scopes(dir string) ([]ScopeInfo, error) {
	parents, err := listParents(dir)
	defer closeParents(parents)
	var list []ScopeInfo
	for _, p := range parents {
		list = listParent(p, list)
	}
	slices.SortFunc(list, func(a, b ScopeInfo) int {
		return cmp.Or(strings.Compare(filepath.Base(a.Path), filepath.Base(b.Path)), strings.Compare(a.Path, b.Path))
	})
	return list, err
}

// listParent appends the scopes of one parent to list.
func listParent(p *parentDir, list []ScopeInfo) []ScopeInfo {
	for _, name := range p.names {
		id, kept := strings.CutSuffix(name, keptExt)
		lockID, locked := strings.CutSuffix(name, lockExt)
		if locked {
			id = lockID
		}
		orphan := !kept && !locked && isOrphan(p, name)
		label, pid, ok := parseScopeID(id)
		if !ok || !kept && !locked && !orphan {
			continue
		}
		info := ScopeInfo{Path: filepath.Join(p.path, id), Label: label, PID: pid, Kept: kept, Orphan: orphan}
		if orphan {
			ok = describeOrphan(p.root, id, &info)
		} else {
			ok = describe(p, id, name, &info)
		}
		if ok { // else gone while we looked, or not what its name says
			list = append(list, info)
		}
	}
	return list
}

// describeOrphan confirms that id is an orphan, and describes it.
func describeOrphan(parent *os.Root, id string, info *ScopeInfo) bool {
	fi, ok := confirmOrphan(parent, id)
	if !ok {
		return false
	}
	info.Created, info.Size = fi.ModTime(), treeSize(parent, id)
	return true
}

// describe fills in what Scopes reports of the scope id, whose lock file
// (or keep marker) is lockName: whether it is live, its label as given,
// when it was made and its size.
func describe(p *parentDir, id, lockName string, info *ScopeInfo) bool {
	fi, err := p.root.Lstat(lockName)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	info.Created = fi.ModTime()
	if v, mine := live.Load(id); mine {
		// Ours: no need to look, and opening and closing our own lock file
		// would drop the lock where flock is emulated with POSIX locks.
		info.Live = true
		if s, ok := v.(*Scope); ok {
			info.Label = s.label
		}
	} else {
		lf, ok, _ := openLock(p, lockName)
		if !ok {
			return false
		}
		locked, err := lf.tryLock()
		if locked && !lf.linked() {
			lf.close()
			return false // the scope went while we looked
		}
		info.Live = err == nil && !locked
		if strings.ContainsRune(info.Label, labelReplacement) {
			// labelSafe may have changed it: the label as given is inside.
			info.Label = labelFrom(lf.readLabel(), info.Label)
		}
		lf.close() // releases a lock we took
	}
	info.Size = treeSize(p.root, id)
	return true
}

// treeSize adds up the sizes of the regular files in the directory id,
// as far as it can read.
func treeSize(parent *os.Root, id string) (size int64) {
	r, err := parent.OpenRoot(id)
	if err != nil {
		return 0
	}
	defer r.Close()
	offMount := mountFilter(r)
	fs.WalkDir(r.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && name != "." && offMount(name) {
			return fs.SkipDir // a mount inside the scope: not the scope's bytes
		}
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
			}
		}
		return nil
	})
	return size
}

// Sweep removes the scopes in dir's per-user parent (dir/mgtemp-<uid>;
// "" means Dir()) and in its private fallbacks (see [NewScope]) whose
// owner is gone: those whose lock is free because the process that held
// it exited without cleaning up, killed or crashed, and orphans (see
// [ScopeInfo]). It never touches a scope whose lock is held, by this
// process or another, a kept scope, or anything in the parent that is
// not a scope. It returns the paths of the scopes it removed, and every
// failure in a *multierror.Error. A missing parent is not an error: there
// is nothing to sweep. Nor is a refused one: it is none of ours, and is
// left alone (with a warning on stderr, once per process).
func Sweep(dir string) ([]string, error) {
	parents, err := listParents(dir)
	defer closeParents(parents)
	var (
		removed []string
		errs    *multierror.Error
	)
	if err != nil {
		errs = multierror.Append(errs, err)
	}
	for _, p := range parents {
		removed = sweepParent(p, removed, &errs)
	}
	return removed, errs.ErrorOrNil()
}

// sweepParent sweeps one parent of scopes, appending what it removed to
// removed and its failures to errs.
func sweepParent(p *parentDir, removed []string, errs **multierror.Error) []string {
	for _, name := range p.names {
		if id, ok := strings.CutSuffix(name, lockExt+newExt); ok && isScope(id) {
			if _, mine := live.Load(id); !mine {
				if err := sweepNew(p, name); err != nil {
					*errs = multierror.Append(*errs, err)
				}
			}
			continue
		}
		id, ok := strings.CutSuffix(name, lockExt)
		orphan := !ok && isOrphan(p, name)
		if orphan {
			id = name
		} else if !ok || !isScope(id) {
			continue
		}
		if _, mine := live.Load(id); mine {
			continue
		}
		sweep := sweepOne
		if orphan {
			sweep = sweepOrphan
		}
		swept, err := sweep(p, id)
		if err != nil {
			*errs = multierror.Append(*errs, err)
		}
		if swept {
			removed = append(removed, filepath.Join(p.path, id))
		}
	}
	return removed
}

// sweepOne removes the scope id if its lock is free. It holds the lock
// while it works, so a concurrent Sweep leaves the scope alone, and it
// removes the lock file last, so a crash part way leaves a scope that the
// next Sweep finishes. A live scope costs it an open and a flock.
func sweepOne(p *parentDir, id string) (bool, error) {
	lf, ok, err := openLock(p, id+lockExt)
	if !ok {
		return false, err // nil: another sweeper finished it
	}
	defer lf.close()
	if ok, err := lf.tryLock(); !ok {
		return false, err
	}
	// The owner may have cleaned up between our open and our lock; the
	// name then refers to nothing, or to another file.
	if !lf.linked() {
		return false, nil
	}
	return removeLocked(p.root, id)
}

// sweepNew removes name, a lock file left under its temporary name (see
// newLock) by an owner that died while making it, once its lock is free.
// It is no scope: it is not reported.
func sweepNew(p *parentDir, name string) error {
	lf, ok, err := openLock(p, name)
	if !ok {
		return err
	}
	defer lf.close()
	if ok, err := lf.tryLock(); !ok || !lf.linked() {
		return err
	}
	if err := p.root.Remove(name); err != nil && !isNotExist(err) {
		return err
	}
	return nil
}

// removeLocked removes the scope id, whose lock file the caller holds
// locked: the directory, then the lock file. If the directory cannot be
// removed in full, the lock file stays, for a later Sweep to finish.
func removeLocked(parent *os.Root, id string) (bool, error) {
	if err := removeTree(parent, id, nil); err != nil {
		return false, err
	}
	if err := dropLock(parent, id+lockExt); err != nil && !isNotExist(err) {
		return false, err
	}
	return true, nil
}

// isOrphan reports whether name in the parent p is an orphan as far as
// the listing shows: of the form of a scope's directory, and with neither
// a lock file nor a keep marker beside it. No live owner has such a
// directory: a scope's lock file comes before its directory and goes
// after it, and Keep renames the lock file to the keep marker. A failed
// Cleanup keeps its lock file, so what is left is a directory made again
// after Cleanup (by a stray child of the owner, say) or by hand. The
// listing is not an instant's, nor does it say what name is: callers
// confirm (see confirmOrphan).
func isOrphan(p *parentDir, name string) bool {
	return isScope(name) && !p.has[name+lockExt] && !p.has[name+keptExt]
}

// confirmOrphan checks, past the listing, that id is an orphan: a
// directory, then no lock file, then no keep marker, in that order. An
// owner makes its lock file before its directory, so a directory seen
// before the lock file is found missing is not one being made; and Keep
// renames the lock file to the keep marker, so a scope being kept is
// never missed between the two looks. What can pass is a directory that
// its owner's Cleanup removed (with the lock file after it) while we
// looked: sweepOrphan looks again once it holds the id.
func confirmOrphan(parent *os.Root, id string) (fs.FileInfo, bool) {
	fi, err := parent.Lstat(id)
	if err != nil || !fi.IsDir() {
		return nil, false
	}
	if _, err := parent.Lstat(id + lockExt); !isNotExist(err) {
		return nil, false
	}
	if _, err := parent.Lstat(id + keptExt); !isNotExist(err) {
		return nil, false
	}
	return fi, true
}

// sweepOrphan removes the orphan directory id. Once confirmOrphan agrees,
// it claims the id by making and locking a lock file of its own for it
// (O_EXCL: it fails if a lock file appeared after all, or another sweeper
// claimed it first), registered in the live map first as a new scope is,
// checks again that the directory is there and no keep marker is, and
// removes it as a stale scope's. A crash part way, or a removal that
// fails, leaves a stale scope that the next Sweep finishes.
func sweepOrphan(p *parentDir, id string) (bool, error) {
	parent := p.root
	if _, ok := confirmOrphan(parent, id); !ok {
		return false, nil
	}
	if _, mine := live.LoadOrStore(id, nil); mine {
		return false, nil
	}
	defer live.Delete(id)
	lock, err := newLock(parent, id+lockExt, nil)
	if err != nil {
		if isExist(err) || errors.Is(err, errLockLost) {
			return false, nil
		}
		return false, err
	}
	defer lock.Close()
	_, kerr := parent.Lstat(id + keptExt)
	fi, err := parent.Lstat(id)
	if kerr == nil || err != nil || !fi.IsDir() {
		// Kept, or gone (its owner's Cleanup was under way when we
		// looked), or no longer a directory: nothing to sweep.
		dropLock(parent, id+lockExt)
		return false, nil
	}
	return removeLocked(parent, id)
}

// isScope reports whether id has the form of a scope's id.
func isScope(id string) bool { _, _, ok := parseScopeID(id); return ok }

// parseScopeID splits an id of the form <label>.<pid>.<digits>; ok is
// false for a name of any other form. (A pid too large for an int, which
// no scope of ours has, is 0.)
func parseScopeID(id string) (label string, pid int, ok bool) {
	rest, digits, ok := cutLast(id)
	if !ok || len(digits) != digitsWidth || !allDigits(digits) {
		return "", 0, false
	}
	label, p, ok := cutLast(rest)
	if !ok || label == "" || p == "" || !allDigits(p) {
		return "", 0, false
	}
	pid, _ = strconv.Atoi(p)
	return label, pid, true
}

func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// SweepKept removes the kept scopes in dir's per-user parent ("" means
// Dir()) whose owner is gone: those that [Scope.Keep] (or MGTEMP_KEEP in
// mgtemp) left behind, which [Sweep] never removes. A kept scope whose
// process still runs is left alone, as is anything that is not a scope.
// It returns the paths removed and every failure in a *multierror.Error.
//
// Each scope is first turned back into an ordinary stale scope (its
// .kept name renamed to .lock) while SweepKept holds its lock, then
// removed as Sweep removes one: a crash part way leaves a stale scope that
// the next Sweep finishes.
func SweepKept(dir string) ([]string, error) {
	parents, err := listParents(dir)
	defer closeParents(parents)
	var (
		removed []string
		errs    *multierror.Error
	)
	if err != nil {
		errs = multierror.Append(errs, err)
	}
	for _, p := range parents {
		for _, name := range p.names {
			id, ok := strings.CutSuffix(name, keptExt)
			if !ok || !isScope(id) {
				continue
			}
			if _, mine := live.Load(id); mine {
				continue
			}
			swept, err := sweepKeptOne(p, id)
			if err != nil {
				errs = multierror.Append(errs, err)
			}
			if swept {
				removed = append(removed, filepath.Join(p.path, id))
			}
		}
	}
	return removed, errs.ErrorOrNil()
}

// sweepKeptOne turns the kept scope id back into a stale one, holding its
// lock, and removes it as Sweep would.
func sweepKeptOne(p *parentDir, id string) (bool, error) {
	lf, ok, err := openLock(p, id+keptExt)
	if !ok {
		return false, err // gone: nothing to do
	}
	locked, err := lf.tryLock()
	if locked && lf.linked() {
		err = p.root.Rename(id+keptExt, id+lockExt)
	} else {
		locked = false
	}
	lf.close() // drops our lock: sweepOne takes it again
	if err != nil || !locked {
		return false, err // its owner still runs, or the rename failed
	}
	return sweepOne(p, id)
}
