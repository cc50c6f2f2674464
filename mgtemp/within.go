package mgtemp

import (
	"context"
	"path/filepath"
	"sync"

	"github.com/magekit/temp/tempfile"
)

// WithIn is [With] with the scope made in dir rather than in the temp
// directory: by [tempfile.NewScopeIn](dir, target), under
// dir/mgtemp-<uid>/, with the same parent checks, guard, signal handling
// and cleanup as With's, and the scope in fn's context ([FromContext]).
// Scratch space on the file system of the build's output — a release
// target unpacking a large archive into build/ rather than into a small
// tmpfs — means no copy through another device, and renames into the
// output (Persist, WriteFile) that never cross devices. dir must exist;
// "" is the temp directory, as for With; a relative dir is taken from
// the working directory.
//
// The sweep of scopes that dead runs left (a target killed with SIGKILL,
// a -t timeout) covers only the directory it reads, so WithIn sweeps dir
// itself: once per process for each distinct dir (by absolute path), as
// the first WithIn there begins, before its scope is made. With's and
// New's sweep, of the temp directory, does not cover dir, nor does
// `mage tmp:clean`; [tempfile.Sweep](dir) and [tempfile.Scopes](dir) do.
func WithIn(ctx context.Context, dir string, fn func(context.Context, *tempfile.Scope) error) error {
	return withIn(ctx, dir, targetName(), fn)
}

// sweptIn holds a *sync.Once for each directory other than the temp
// directory that this process has swept (or is sweeping), by its
// absolute, cleaned path: the first WithIn in a directory sweeps it, the
// others there wait for that sweep, and none sweeps it again.
var sweptIn sync.Map

// sweepIn sweeps dir once per process, and the temp directory once per
// process (see sweep) when dir is "" or is the temp directory.
func sweepIn(dir string) {
	if dir == "" {
		sweep()
		return
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return // NewScopeIn fails on it too, and says why
	}
	if abs == filepath.Clean(tempfile.Dir()) {
		sweep()
		return
	}
	once, _ := sweptIn.LoadOrStore(abs, new(sync.Once))
	once.(*sync.Once).Do(func() {
		removed, err := tempfile.Sweep(abs)
		if err != nil {
			logf("sweep of %s: %v", abs, err)
		}
		for _, p := range removed {
			logf("swept stale scope %s", p)
		}
	})
}
