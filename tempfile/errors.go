package tempfile

import "errors"

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
