package tempfile

import (
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-multierror"
)

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
