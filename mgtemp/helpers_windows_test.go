package mgtemp_test

import "testing"

// sighup is never reached: the tests that send it skip on Windows.
func sighup(t *testing.T) { t.Helper(); t.Fatal("no SIGHUP on Windows") }

// skipOnWindows skips the test, saying why.
func skipOnWindows(t *testing.T, why string) { t.Helper(); t.Skip(why) }
