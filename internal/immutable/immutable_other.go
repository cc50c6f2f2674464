//go:build !linux

// Package immutable sets the immutable attribute where there is one.
package immutable

import "errors"

// Set reports that this system has no immutable attribute to set.
func Set(string, bool) error { return errors.New("no immutable attribute here") }
