//go:build unix && !linux

package tempfile_test

import "errors"

func setImmutable(string, bool) error { return errors.New("no immutable attribute here") }
