package tempfile

import (
	"errors"
	"io/fs"
)

// When errors are a multierror: the operations that walk many entries and
// go on past a failure (Scope.Cleanup, Sweep, SweepKept and the removal
// under them) report every failure in a *multierror.Error, as their docs
// say, so a caller can range over them. Everything else fails with one
// error; where a failure comes with a second one (a Close after a failed
// write, undoing a half-made scope), joinErrs joins the two, and a lone
// error stays a plain *fs.PathError.

// joinErrs is errors.Join that returns a lone error as it is: errors.Join
// would wrap even one, and callers should get a plain *fs.PathError
// when there is only one thing to say.
func joinErrs(errs ...error) error {
	var first error
	n := 0
	for _, err := range errs {
		if err != nil {
			if n == 0 {
				first = err
			}
			n++
		}
	}
	if n <= 1 {
		return first
	}
	return errors.Join(errs...)
}

// isExist and isNotExist are errors.Is for fs.ErrExist and fs.ErrNotExist,
// which the package asks of every error from the file system.
func isExist(err error) bool { return errors.Is(err, fs.ErrExist) }

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
