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
