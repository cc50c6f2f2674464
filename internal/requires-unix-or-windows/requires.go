//go:build unix || windows

// Package requires is empty. The tempfile package imports it only on
// platforms that are neither Unix nor Windows (see tempfile/unsupported.go),
// where this file's build constraint leaves it without any Go file, so the
// build stops with one message naming the reason:
//
//	build constraints exclude all Go files in .../internal/requires-unix-or-windows
//
// rather than with a list of the platform functions that are missing.
package requires
