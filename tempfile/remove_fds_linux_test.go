package tempfile_test

import (
	"syscall"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// TestRemoveDeepFewDescriptors removes 1000 nested read-only directories
// with only 80 descriptors to spare: the walk keeps the innermost 32 of
// the directories it is in open and every 32nd above them, reopening the
// others (each checked to be the directory it left) on the way back up,
// where one descriptor a level would run out.
func TestRemoveDeepFewDescriptors(t *testing.T) {
	tmp := privateTmp(t)
	s, err := tempfile.NewScope("deep")
	mustDo(t, err)
	makeDeep(t, s.Path(), 1000, 0o500)
	var was syscall.Rlimit
	mustDo(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &was))
	low := was
	low.Cur = uint64(openFDs(t) + 80)
	mustDo(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low))
	err = s.Cleanup()
	mustDo(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &was))
	if err != nil {
		t.Fatalf("Cleanup with %d descriptors: %v", low.Cur, err)
	}
	mustEmpty(t, userParent(tmp))
}
