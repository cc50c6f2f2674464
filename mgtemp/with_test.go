package mgtemp_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/magekit/temp/mgtemp"
	"github.com/magekit/temp/tempfile"
)

func TestIsMage(t *testing.T) {
	for fn, want := range map[string]bool{
		"main.main":        true,
		"main.main.func12": true,
		"github.com/magefile/mage/mg.runDeps.func1": true,
		"main.mainly": false,
		"main.Build":  false,
	} {
		if got := mgtemp.IsMage(fn); got != want {
			t.Errorf("isMage(%q) = %v, want %v", fn, got, want)
		}
	}
}

func TestTargetOf(t *testing.T) {
	for _, c := range []struct{ fn, want string }{
		{"main.Build", "build"},
		{"main.Build.func1", "build"},
		{"main.Build.func1.2", "build"},
		{"main.Docker.Push", "docker:push"},
		{"main.(*Docker).Push", "docker:push"},
		{"example.com/x/pkg.Docker.Push.func3", "docker:push"},
		{"github.com/magekit/temp/mgtemp.Tmp.File", "tmp:file"},
		{"main.Gen[...]", "gen"},
		{"main.func1", "scope"},
		{"", "scope"},
	} {
		if got := mgtemp.TargetOf(c.fn); got != c.want {
			t.Errorf("targetOf(%q) = %q, want %q", c.fn, got, c.want)
		}
	}
}

// setTmp points the scopes at a private directory.
func setTmp(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	tempfile.SetDir(d)
	t.Cleanup(func() { tempfile.SetDir("") })
	return d
}

func gone(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s still there (%v)", path, err)
	}
}

// TestWith: the scope is in ctx, labelled with the caller, and removed
// when fn returns, fails or panics; fn's error comes back as it was.
func TestWith(t *testing.T) {
	defer goleak.VerifyNone(t)
	setTmp(t)
	boom := errors.New("boom")
	for _, c := range []struct {
		name  string
		end   func() error
		panic bool
	}{
		{"returns", func() error { return nil }, false},
		{"fails", func() error { return boom }, false},
		{"panics", func() error { panic(boom) }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var path string
			var err error
			func() {
				defer func() {
					if r := recover(); (r != nil) != c.panic {
						t.Fatalf("recovered %v, want a panic: %v", r, c.panic)
					}
				}()
				err = mgtemp.With(context.Background(), func(ctx context.Context, s *tempfile.Scope) error {
					path = s.Path()
					if got, ok := mgtemp.FromContext(ctx); !ok || got != s {
						t.Error("FromContext does not give the scope")
					}
					if !mgtemp.HandlerInstalled() {
						t.Error("no signal handler while a scope lives")
					}
					f, err := s.File("")
					if err != nil {
						return err
					}
					f.Close()
					return c.end()
				})
			}()
			if !c.panic && !errors.Is(err, c.end()) {
				t.Fatalf("With returned %v, want fn's %v", err, c.end())
			}
			if !strings.HasPrefix(filepath.Base(path), "testWith.") {
				t.Errorf("scope %s not labelled with the calling function (testWith, as mage spells TestWith)", path)
			}
			gone(t, path)
			if mgtemp.HandlerInstalled() {
				t.Error("the signal handler outlived the scope")
			}
		})
	}
	if _, ok := mgtemp.FromContext(context.Background()); ok {
		t.Error("FromContext found a scope in a bare context")
	}
}

// TestWatchdog: a New scope whose ctx is cancelled stays (a cancelled
// context is the target's business); once an interrupt arms the watchdog
// it is removed after the grace though nobody calls Cleanup, and its
// goroutine ends.
func TestWatchdog(t *testing.T) {
	defer goleak.VerifyNone(t)
	setTmp(t)
	defer mgtemp.SetGrace(50 * time.Millisecond)()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := mgtemp.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	time.Sleep(300 * time.Millisecond) // six graces
	if _, err := os.Stat(s.Path()); err != nil {
		t.Fatalf("removed after its context was cancelled, with no interrupt: %v", err)
	}
	defer mgtemp.Interrupt()()
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the watchdog did not remove the scope")
	}
	gone(t, s.Path())
	if err := s.Cleanup(); err != nil {
		t.Fatalf("Cleanup after the watchdog: %v", err)
	}
}

// TestLeaveSignals: a program that handles SIGHUP itself and says so
// sees each SIGHUP once; mgtemp neither removes the scope nor sends the
// signal again. (A SIGHUP that mgtemp takes ends the process: that is
// tested end to end, in e2e_test.go.)
func TestLeaveSignals(t *testing.T) {
	skipOnWindows(t, "no SIGHUP to send on Windows")
	defer goleak.VerifyNone(t)
	setTmp(t)
	mine := make(chan os.Signal, 4)
	// Never stopped: a SIGHUP that found no handler would end the whole
	// test binary.
	signal.Notify(mine, syscall.SIGHUP)
	mgtemp.ResetLeft()
	mgtemp.LeaveSignals(syscall.SIGHUP)
	defer mgtemp.ResetLeft()
	var path string
	err := mgtemp.With(context.Background(), func(ctx context.Context, s *tempfile.Scope) error {
		path = s.Path()
		if !mgtemp.HandlerInstalled() {
			t.Error("no handler for SIGTERM, which was not left")
		}
		sighup(t)
		waitSig(t, mine)
		if n := drain(mine, 300*time.Millisecond); n != 0 {
			t.Errorf("one SIGHUP reached the program %d times", n+1)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("the scope went on a SIGHUP left to the program: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gone(t, path)
	if mgtemp.HandlerInstalled() {
		t.Fatal("the handler outlived the scope")
	}
}

// drain empties ch until it has been quiet for d, and says how many it took.
func drain(ch chan os.Signal, d time.Duration) int {
	n := 0
	for {
		select {
		case <-ch:
			n++
		case <-time.After(d):
			return n
		}
	}
}

// TestNestedWith: the handler stays while any scope lives. (A signal
// removing every live scope is tested end to end: it ends the process.)
func TestNestedWith(t *testing.T) {
	defer goleak.VerifyNone(t)
	setTmp(t)
	var inner string
	err := mgtemp.With(context.Background(), func(ctx context.Context, o *tempfile.Scope) error {
		if err := mgtemp.With(ctx, func(ctx context.Context, i *tempfile.Scope) error {
			inner = i.Path()
			return nil
		}); err != nil {
			return err
		}
		gone(t, inner)
		if !mgtemp.HandlerInstalled() {
			t.Error("the inner scope's end took the outer scope's handler")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if mgtemp.HandlerInstalled() {
		t.Error("the handler outlived both scopes")
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{0, "0B"}, {1023, "1023B"}, {1536, "1.5KiB"}, {5 << 20, "5.0MiB"}, {3 << 30, "3.0GiB"}} {
		if got := mgtemp.Size(c.n); got != c.want {
			t.Errorf("size(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		d    time.Duration
		want string
	}{{1400 * time.Millisecond, "1s"}, {90 * time.Second, "2m0s"}, {150 * time.Minute, "3h0m0s"}} {
		if got := mgtemp.Age(c.d); got != c.want {
			t.Errorf("age(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// TestWithNoScope: when no scope can be made (here the temp directory is
// missing), With returns NewScope's error, does not run fn,
// and leaves no handler or goroutine behind; New returns the error too.
func TestWithNoScope(t *testing.T) {
	defer goleak.VerifyNone(t)
	// A refused per-user parent no longer stops a scope (it goes to a
	// private fallback); a temp directory that does not exist does.
	tempfile.SetDir(filepath.Join(t.TempDir(), "missing"))
	t.Cleanup(func() { tempfile.SetDir("") })
	ran := false
	err := mgtemp.With(context.Background(), func(context.Context, *tempfile.Scope) error {
		ran = true
		return nil
	})
	if !errors.Is(err, fs.ErrNotExist) || ran {
		t.Fatalf("With = %v, ran fn: %v; want fs.ErrNotExist and fn not run", err, ran)
	}
	if s, err := mgtemp.New(context.Background()); !errors.Is(err, fs.ErrNotExist) || s != nil {
		t.Fatalf("New = %v, %v; want nil, fs.ErrNotExist", s, err)
	}
	if mgtemp.HandlerInstalled() {
		t.Fatal("a handler was left installed")
	}
}

// TestKeepVariable: MGTEMP_KEEP keeps scopes for 1 and the like, not for
// 0, false, no or unset.
func TestKeepVariable(t *testing.T) {
	setTmp(t)
	for v, keep := range map[string]bool{"": false, "0": false, "false": false, "no": false, "1": true, "yes": true} {
		t.Setenv("MGTEMP_KEEP", v)
		var path string
		if err := mgtemp.With(context.Background(), func(ctx context.Context, s *tempfile.Scope) error {
			path = s.Path()
			return nil
		}); err != nil || path == "" {
			t.Fatalf("MGTEMP_KEEP=%q: With = %v, ran fn: %v", v, err, path != "")
		}
		_, err := os.Stat(path)
		if kept := err == nil; kept != keep {
			t.Errorf("MGTEMP_KEEP=%q: kept %v, want %v", v, kept, keep)
		}
	}
}

func waitSig(t *testing.T, ch chan os.Signal) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("the program's own SIGHUP handler got nothing")
	}
}

// TestMainInMage: goroutine 1 waiting in a closure of main.main, as
// mage's runTarget does, in mage's generated mage_output_file.go, is
// mage; main.main alone, another goroutine in such a closure, or such a
// closure in another program's main (a program a mage target starts
// inherits MAGEFILE_VERBOSE), is not.
func TestMainInMage(t *testing.T) {
	mage := "goroutine 5 [running]:\nmain.Build()\n\t/x.go:1\n\ngoroutine 1 [select]:\nmain.main.func3({0x1, 0x2})\n\t/m/mage_output_file.go:170 +0x1\nmain.main()\n\t/m/mage_output_file.go:400 +0x2\n"
	for stack, want := range map[string]bool{
		mage:                                     true,
		strings.ReplaceAll(mage, "/m/", `C:\m\`): true,
		strings.ReplaceAll(mage, "/m/", ""):      true,
		strings.ReplaceAll(mage, "mage_output_file.go", "main.go"):                                             false,
		strings.ReplaceAll(mage, "/m/", "/m/not"):                                                              false,
		"goroutine 1 [select]:\nmain.main.func3()\n\t/m/mage_output_file.go:170\nmain.main()":                  false,
		"goroutine 1 [sleep]:\ntime.Sleep(0x1)\nmain.main()\n\t/m.go:3\n":                                      false,
		"goroutine 1 [select]:\nmain.run()\nmain.main()\n\ngoroutine 7 [x]:\nmain.main.func1()\nmain.main()\n": false,
		"": false,
	} {
		if got := mgtemp.MainInMage([]byte(stack)); got != want {
			t.Errorf("mainInMage(%q) = %v, want %v", stack, got, want)
		}
	}
}
