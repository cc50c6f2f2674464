package mgtemp_test

import (
	"os"
	"testing"
)

// sighup is never reached: the tests that send it skip on Windows.
func sighup(t *testing.T) { t.Helper(); t.Fatal("no SIGHUP on Windows") }

// parentOwner is what names this user's parent of scopes: the user name,
// as Windows has no uid.
func parentOwner() string {
	u := os.Getenv("USERNAME")
	if u == "" {
		u = "user"
	}
	return u
}

// skipOnWindows skips the test, saying why.
func skipOnWindows(t *testing.T, why string) { t.Helper(); t.Skip(why) }

// unsafeParent puts a file where this user's parent of scopes in tmp
// belongs, so that it is refused: Windows shows no mode bits to refuse.
func unsafeParent(t *testing.T, tmp string) {
	t.Helper()
	if err := os.WriteFile(userParent(tmp), nil, 0o600); err != nil {
		t.Fatal(err)
	}
}
