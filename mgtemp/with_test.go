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
			if !strings.HasPrefix(filepath.Base(path), "testwith.") {
				t.Errorf("scope %s not labelled with the calling function (testwith)", path)
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

// TestWatchdog: a New scope whose ctx is cancelled is removed after the
// grace even though nobody calls Cleanup; its goroutine ends.
func TestWatchdog(t *testing.T) {
	defer goleak.VerifyNone(t)
	setTmp(t)
	defer mgtemp.SetGrace(50 * time.Millisecond)()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := mgtemp.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if _, err := os.Stat(s.Path()); err != nil {
		t.Fatalf("removed before its context ended: %v", err)
	}
	cancel()
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

// TestHandlerKeepsOthers: mgtemp's SIGHUP handler lives only while a scope
// does; a handler the program had before keeps working during and after,
// and the signal reaches it after the scope is removed.
func TestHandlerKeepsOthers(t *testing.T) {
	skipOnWindows(t, "no SIGHUP to send on Windows")
	defer goleak.VerifyNone(t)
	setTmp(t)
	mine := make(chan os.Signal, 4)
	// Never stopped: a SIGHUP still on its way (the kernel may deliver
	// the re-raised one late) must not find the default action, which
	// would end the whole test binary.
	signal.Notify(mine, syscall.SIGHUP)
	if mgtemp.HandlerInstalled() {
		t.Fatal("a handler without a scope")
	}
	var path string
	err := mgtemp.With(context.Background(), func(ctx context.Context, s *tempfile.Scope) error {
		path = s.Path()
		sighup(t)
		select {
		case <-s.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("SIGHUP did not remove the scope")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gone(t, path)
	// The program's own handler got the signal (and mgtemp's re-raise of
	// it): drain both before the next check.
	waitSig(t, mine)
	drain(mine, 300*time.Millisecond)
	if mgtemp.HandlerInstalled() {
		t.Fatal("the handler outlived the scope")
	}
	// With no scope, a SIGHUP reaches the program's handler once, and
	// nothing of mgtemp's runs.
	sighup(t)
	waitSig(t, mine)
	if n := drain(mine, 300*time.Millisecond); n != 0 {
		t.Fatalf("one SIGHUP without a scope reached the program %d times", n+1)
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

// TestNestedWith: the handler stays while any scope lives, and a signal
// removes every live scope.
func TestNestedWith(t *testing.T) {
	skipOnWindows(t, "no SIGHUP to send on Windows")
	defer goleak.VerifyNone(t)
	setTmp(t)
	mine := make(chan os.Signal, 4)
	signal.Notify(mine, syscall.SIGHUP) // never stopped: see TestHandlerKeepsOthers
	var outer, inner string
	err := mgtemp.With(context.Background(), func(ctx context.Context, o *tempfile.Scope) error {
		outer = o.Path()
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
		if err := mgtemp.With(ctx, func(ctx context.Context, i *tempfile.Scope) error {
			inner = i.Path()
			sighup(t)
			select {
			case <-i.Done():
			case <-time.After(5 * time.Second):
				t.Fatal("SIGHUP did not remove the inner scope")
			}
			select {
			case <-o.Done():
			case <-time.After(5 * time.Second):
				t.Fatal("SIGHUP did not remove the outer scope")
			}
			return nil
		}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gone(t, inner)
	gone(t, outer)
	waitSig(t, mine)
	drain(mine, 300*time.Millisecond)
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

// TestWithNoScope: when no scope can be made (here the per-user parent
// is open to everyone), With returns NewScope's error, does not run fn,
// and leaves no handler or goroutine behind; New returns the error too.
func TestWithNoScope(t *testing.T) {
	defer goleak.VerifyNone(t)
	tmp := setTmp(t)
	unsafeParent(t, tmp) // world-writable; on Windows, a file
	ran := false
	err := mgtemp.With(context.Background(), func(context.Context, *tempfile.Scope) error {
		ran = true
		return nil
	})
	if !errors.Is(err, fs.ErrPermission) || ran {
		t.Fatalf("With = %v, ran fn: %v; want fs.ErrPermission and fn not run", err, ran)
	}
	if s, err := mgtemp.New(context.Background()); !errors.Is(err, fs.ErrPermission) || s != nil {
		t.Fatalf("New = %v, %v; want nil, fs.ErrPermission", s, err)
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
