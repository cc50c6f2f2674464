package tempfile_test

import (
	"os"
	"path/filepath"
	"testing"
)

// rounds scales an adversarial scenario: the full count under
// TEMPFILE_STRESS=1 (`go tool mage stress`), a tenth by default so that
// CI catches regressions quickly, and a hundredth under -short.
func rounds(full int) int {
	switch {
	case os.Getenv("TEMPFILE_STRESS") == "1":
		return full
	case testing.Short():
		return max(1, full/100)
	}
	return max(1, full/10)
}

// fastTmp is privateTmp on tmpfs (/dev/shm) when there is one: the load
// scenarios measure races, and the benchmarks the code, not a disk (/tmp
// on these machines is ext4 whose per-file cost drifts too much).
func fastTmp(t testing.TB) string {
	t.Helper()
	base := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		base = "/dev/shm"
	}
	d, err := os.MkdirTemp(base, "tempfile-stress")
	if err == nil {
		d, err = filepath.Abs(d) // under Wine, /dev/shm is a path without a drive
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	setDir(t, d)
	return d
}
