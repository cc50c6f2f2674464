package mgtemp_test

import "path/filepath"

// userParent is this user's parent of scopes in tmp, mgtemp-<uid> (the
// user name on Windows: see parentOwner). It is the one place the tests
// spell it.
func userParent(tmp string) string { return filepath.Join(tmp, "mgtemp-"+parentOwner()) }
