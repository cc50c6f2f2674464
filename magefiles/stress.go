//go:build mage

package main

import (
	"time"

	"github.com/magefile/mage/sh"
)

// adversarial names the tests that take a hostile /tmp, faults and load.
const adversarial = "SwapRace|AsNobody|CollisionsRetried|HardLinkOut|KillNine|SweepVersus|NamesAcross|NoLeaks|DiskFull|MountsInScope|DroppedScopeStaysLocked|SweepOrphan|ParentFallbackAcrossUsers|PersistWindow|WriteFileWindow|WriteFileRelativeWindow|SpooledHugeOffsets"

// Stress runs the adversarial suite at full size (go test runs a tenth of it).
func Stress() error {
	env := map[string]string{"TEMPFILE_STRESS": "1"}
	return sh.RunWithV(env, "go", "test", "-count=1", "-v", "-run", adversarial, "./tempfile")
}

// Fuzz runs each fuzzer for the given time, e.g. `go tool mage fuzz 60s`.
func Fuzz(d time.Duration) error {
	for _, f := range []struct{ name, pkg string }{
		{"FuzzOptions", "./tempfile"},
		{"FuzzScopeName", "./tempfile"},
		{"FuzzTmpTargets", "./mgtemp"},
	} {
		if err := sh.RunV("go", "test", "-short", "-run", "^$", "-fuzz", "^"+f.name+"$", "-fuzztime", d.String(), f.pkg); err != nil {
			return err
		}
	}
	return nil
}
