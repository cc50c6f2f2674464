package tempfile_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// helperEnv names the child-process role a re-executed test binary plays.
const helperEnv = "TEMPFILE_TEST_HELPER"

// helpers are roles for child processes: the test binary re-executed with
// helperEnv set runs one and exits instead of running the tests.
var helpers = map[string]func() int{}

func TestMain(m *testing.M) {
	if role := os.Getenv(helperEnv); role != "" {
		h, ok := helpers[role]
		if !ok {
			fmt.Fprintln(os.Stderr, "unknown helper", role)
			os.Exit(2)
		}
		os.Exit(h())
	}
	goleak.VerifyTestMain(m)
}

// privateTmp points Dir() at a fresh directory for one test and restores
// the default after.
func privateTmp(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	setDir(t, d)
	return d
}
