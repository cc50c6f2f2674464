package tempfile_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// mktempDirEnv names the directory the "mktemp-in" helper draws a name in.
const mktempDirEnv = "TEMPFILE_TEST_MKTEMP_DIR"

func init() {
	helpers["mktemp-in"] = func() int {
		if err := mktempFails(os.Getenv(mktempDirEnv), fs.ErrPermission); err != nil {
			fmt.Println(err)
			return 1
		}
		fmt.Println("ok")
		return 0
	}
}

// mktempFails draws a name in dir and wants Go's convention for a failure:
// no name, and a *fs.PathError matching want.
func mktempFails(dir string, want error) error {
	tempfile.SetDir(dir)
	defer tempfile.SetDir("")
	name, err := tempfile.Mktemp("")
	var pe *fs.PathError
	if name != "" || !errors.Is(err, want) || !errors.As(err, &pe) {
		return fmt.Errorf("Mktemp in %s = (%q, %v), want (\"\", a *fs.PathError matching %v)", short(dir), short(name), err, want)
	}
	return nil
}

// short cuts a long name down to its ends for a message.
func short(s string) string {
	if len(s) <= 200 {
		return s
	}
	return s[:80] + "..." + s[len(s)-80:]
}

// TestMktempNoNameWithError: whatever stops Mktemp from checking a name,
// it returns "" with the error, never a name that nothing checked.
func TestMktempNoNameWithError(t *testing.T) {
	t.Run("unsearchable directory", func(t *testing.T) {
		skipOnWindows(t, "a Windows directory has no search permission to take away: its mode bits are not access rights")
		mktempUnsearchable(t)
	})
	t.Run("name too long for the system", func(t *testing.T) {
		// The directory's own path fits in PATH_MAX (4096 with its NUL),
		// the names in it do not: stat says ENAMETOOLONG, as root too.
		skipOnWindows(t, "Go gives Windows paths the \\\\?\\ form, whose limit is 32767 characters, not PATH_MAX")
		const long = 4080 // and the names at least 20 digits longer
		dir := t.TempDir()
		for len(dir) < long {
			dir = filepath.Join(dir, strings.Repeat("d", min(200, long-1-len(dir))))
		}
		mustDo(t, os.MkdirAll(dir, 0o700))
		if err := mktempFails(dir, errNameTooLong); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		if err := mktempFails(filepath.Join(t.TempDir(), "missing"), fs.ErrNotExist); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("not a directory", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		mustDo(t, os.WriteFile(f, nil, 0o600))
		if err := mktempFails(f, errNotDir); err != nil {
			t.Fatal(err)
		}
	})
}
