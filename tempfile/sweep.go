package tempfile

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/go-multierror"
)

// Sweep removes the scopes in dir's per-user parent (dir/mgtemp-<uid>;
// "" means Dir()) whose owner is gone: those whose lock is free because
// the process that held it exited without cleaning up, killed or crashed.
// It never touches a scope whose lock is held, by this process or another,
// a kept scope, or anything in the parent that is not a scope. It returns
// the paths of the scopes it removed, and every failure in a
// *multierror.Error. A missing parent is not an error: there is nothing
// to sweep.
func Sweep(dir string) ([]string, error) {
	ppath, parent, entries, err := listParent(dir)
	if parent == nil {
		return nil, err
	}
	defer parent.Close()
	var (
		removed []string
		errs    *multierror.Error
	)
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), lockExt)
		if !ok || !e.Type().IsRegular() || !isScope(id) {
			continue
		}
		if _, mine := live.Load(id); mine {
			continue
		}
		swept, err := sweepOne(parent, id)
		if err != nil {
			errs = multierror.Append(errs, err)
		}
		if swept {
			removed = append(removed, filepath.Join(ppath, id))
		}
	}
	return removed, errs.ErrorOrNil()
}

// sweepOne removes the scope id if its lock is free. It holds the lock
// while it works, so a concurrent Sweep leaves the scope alone, and it
// removes the lock file last, so a crash part way leaves a scope that the
// next Sweep finishes.
func sweepOne(parent *os.Root, id string) (bool, error) {
	f, err := parent.OpenFile(id+lockExt, os.O_RDONLY, 0)
	if err != nil {
		if isNotExist(err) {
			return false, nil // another sweeper finished it
		}
		return false, err
	}
	defer f.Close()
	if ok, err := tryLock(f); !ok {
		return false, err
	}
	// The owner may have cleaned up between our open and our lock; the
	// name then refers to nothing, or to another file.
	if !stillLinked(parent, id+lockExt, f) {
		return false, nil
	}
	if err := removeTree(parent, id, nil); err != nil {
		return false, err
	}
	if err := parent.Remove(id + lockExt); err != nil && !isNotExist(err) {
		return false, err
	}
	return true, nil
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
