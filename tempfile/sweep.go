package tempfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/go-multierror"
)

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
