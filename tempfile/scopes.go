package tempfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ScopeInfo describes a scope found by [Scopes].
type ScopeInfo struct {
	Path    string    // the scope's directory
	Label   string    // the name given to NewScope (a build target, say)
	PID     int       // the process that made it
	Live    bool      // its lock is held: the owner is still running
	Kept    bool      // Keep was called: Sweep never removes it
	Created time.Time // when it was made
	Size    int64     // bytes in its regular files (not in a mount inside it)
}

// Scopes lists the scopes in dir's per-user parent ("" means Dir()), live,
// stale and kept, sorted by name. A missing parent lists nothing. Telling
// live from stale takes the lock for an instant; that never disturbs a
// live scope, whose lock cannot be taken.
func Scopes(dir string) ([]ScopeInfo, error) {
	ppath, parent, entries, err := listParent(dir)
	if parent == nil {
		return nil, err
	}
	defer parent.Close()
	var list []ScopeInfo
	for _, e := range entries {
		id, kept := strings.CutSuffix(e.Name(), keptExt)
		if !kept {
			var ok bool
			if id, ok = strings.CutSuffix(e.Name(), lockExt); !ok {
				continue
			}
		}
		label, pid, ok := parseScopeID(id)
		if !e.Type().IsRegular() || !ok {
			continue
		}
		info, ok := describe(parent, id, e.Name())
		if !ok {
			continue // gone while we looked
		}
		info.Label, info.PID, info.Path, info.Kept = label, pid, filepath.Join(ppath, id), kept
		list = append(list, info)
	}
	return list, nil
}

// describe reads what Scopes reports of one scope.
func describe(parent *os.Root, id, lockName string) (ScopeInfo, bool) {
	var info ScopeInfo
	fi, err := parent.Lstat(lockName)
	if err != nil {
		return info, false
	}
	info.Created = fi.ModTime()
	if _, mine := live.Load(id); mine {
		// Ours: no need to look, and opening and closing our own lock file
		// would drop the lock where flock is emulated with POSIX locks.
		info.Live = true
	} else {
		f, err := parent.Open(lockName)
		if err != nil {
			return info, false
		}
		locked, err := tryLock(f)
		info.Live = err == nil && !locked
		f.Close() // releases a lock we took
	}
	if r, err := parent.OpenRoot(id); err == nil {
		offMount := mountFilter(r)
		fs.WalkDir(r.FS(), ".", func(name string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() && name != "." && offMount(name) {
				return fs.SkipDir // a mount inside the scope: not the scope's bytes
			}
			if err == nil && d.Type().IsRegular() {
				if fi, err := d.Info(); err == nil {
					info.Size += fi.Size()
				}
			}
			return nil
		})
		r.Close()
	}
	return info, true
}
