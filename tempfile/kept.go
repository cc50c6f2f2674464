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
		id, ok := strings.CutSuffix(e.Name(), keptExt)
		if !ok || !e.Type().IsRegular() || !isScope(id) {
			continue
		}
		if _, mine := live.Load(id); mine {
			continue
		}
		f, err := parent.OpenFile(id+keptExt, 0, 0) // O_RDONLY
		if err != nil {
			if !isNotExist(err) {
				errs = multierror.Append(errs, err)
			}
			continue
		}
		locked, err := tryLock(f)
		if locked && stillLinked(parent, id+keptExt, f) {
			err = parent.Rename(id+keptExt, id+lockExt)
		}
		f.Close() // drops our lock: sweepOne takes it again
		if err != nil {
			errs = multierror.Append(errs, err)
			continue
		}
		if !locked {
			continue // its owner still runs
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
