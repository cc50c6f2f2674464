package tempfile_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/magekit/temp/tempfile"
)

func TestDefaultPrefixIsClassic(t *testing.T) {
	want := defaultPrefix(os.Getpid())
	if got := tempfile.Prefix(); got != want {
		t.Fatalf("Prefix() = %q, want the classic module's form %q", got, want)
	}
}

func TestMktempName(t *testing.T) {
	dir := privateTmp(t)
	name, err := tempfile.Mktemp(".tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(name) || filepath.Dir(name) != dir {
		t.Fatalf("Mktemp = %q, want an absolute name in %q", name, dir)
	}
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(tempfile.Prefix()) + `[0-9]{20}\.tar\.gz$`)
	if base := filepath.Base(name); !re.MatchString(base) {
		t.Fatalf("name %q does not match prefix + 20 decimal digits + suffix", base)
	}
	if _, err := os.Lstat(name); !os.IsNotExist(err) {
		t.Fatalf("Mktemp returned a name that exists (Lstat: %v)", err)
	}
	mustEmpty(t, dir)
}

func TestMktempRelativeDirIsMadeAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("rel", 0o700); err != nil {
		t.Fatal(err)
	}
	setDir(t, "rel")
	name, err := tempfile.Mktemp("")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "rel"); filepath.Dir(name) != want {
		t.Fatalf("Mktemp = %q, want an absolute name in %q", name, want)
	}
}

// TestMktempNeverRepeats draws names from 8 goroutines at once: within a
// process no name may ever come back.
func TestMktempNeverRepeats(t *testing.T) {
	privateTmp(t)
	const goroutines, each = 8, 20000
	var (
		wg    sync.WaitGroup
		names [goroutines][]string
		errs  [goroutines]error
	)
	for g := range goroutines {
		wg.Go(func() {
			for range each {
				n, err := tempfile.Mktemp("")
				if err != nil {
					errs[g] = err
					return
				}
				names[g] = append(names[g], n)
			}
		})
	}
	wg.Wait()
	seen := make(map[string]bool, goroutines*each)
	for g := range goroutines {
		if errs[g] != nil {
			t.Fatal(errs[g])
		}
		for _, n := range names[g] {
			if seen[n] {
				t.Fatalf("name %q returned twice", n)
			}
			seen[n] = true
		}
	}
	if len(seen) != goroutines*each {
		t.Fatalf("got %d names, want %d", len(seen), goroutines*each)
	}
}

// TestNamesLookRandom guards against a degenerate generator: the digits of
// consecutive names must differ in many places, not count up.
func TestNamesLookRandom(t *testing.T) {
	privateTmp(t)
	prev := ""
	for range 100 {
		n, err := tempfile.Mktemp("")
		if err != nil {
			t.Fatal(err)
		}
		d := strings.TrimPrefix(filepath.Base(n), tempfile.Prefix())
		if prev != "" {
			diff := 0
			for i := range d {
				if d[i] != prev[i] {
					diff++
				}
			}
			if diff < 5 {
				t.Fatalf("consecutive digits %s and %s differ in only %d places", prev, d, diff)
			}
		}
		prev = d
	}
}

func TestSetPrefix(t *testing.T) {
	dir := privateTmp(t)
	def := tempfile.Prefix()
	t.Cleanup(func() { tempfile.SetPrefix("") })
	if err := tempfile.SetPrefix("build-"); err != nil {
		t.Fatal(err)
	}
	if got := tempfile.Prefix(); got != "build-" {
		t.Fatalf("Prefix() = %q after SetPrefix(build-)", got)
	}
	f, err := tempfile.CreateTemp(tempfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if !strings.HasPrefix(filepath.Base(f.Name()), "build-") {
		t.Fatalf("CreateTemp ignored the prefix: %s", f.Name())
	}
	for _, bad := range []string{"a/b", "/", "a\x00b"} {
		err := tempfile.SetPrefix(bad)
		if !isInvalid(err) {
			t.Errorf("SetPrefix(%q) = %v, want fs.ErrInvalid", bad, err)
		}
		if got := tempfile.Prefix(); got != "build-" {
			t.Errorf("a rejected SetPrefix(%q) changed the prefix to %q", bad, got)
		}
	}
	if err := tempfile.SetPrefix(""); err != nil {
		t.Fatal(err)
	}
	if got := tempfile.Prefix(); got != def {
		t.Fatalf("SetPrefix(\"\") left %q, want the default %q", got, def)
	}
	_ = dir
}
