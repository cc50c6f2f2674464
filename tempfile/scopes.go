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
	Orphan  bool      // a scope's directory with neither lock file nor keep marker: only a dead owner or a stray child leaves one, and Sweep removes it
	Created time.Time // when it was made
	Size    int64     // bytes in its regular files
}

// Scopes lists the scopes in dir's per-user parent ("" means Dir()) and
// its private fallbacks (see [NewScope]): live, stale, kept and orphans,
// sorted by name. A missing or refused parent lists nothing; a parent
// that cannot be read is reported in err, beside the scopes of those that
// could. Telling
// live from stale takes the lock for an instant; that never disturbs a
// live scope, whose lock cannot be taken.
func Scopes(dir string) ([]ScopeInfo, error) {
	parents, err := listParents(dir)
	defer closeParents(parents)
	var list []ScopeInfo
	for _, p := range parents {
		list = listParent(p, list)
	}
	return list, err
}

// listParent appends the scopes of one parent to list.
func listParent(p *parentDir, list []ScopeInfo) []ScopeInfo {
	for _, name := range p.names {
		var info ScopeInfo
		id, kept := strings.CutSuffix(name, keptExt)
		switch lockID, locked := strings.CutSuffix(name, lockExt); {
		case kept || locked:
			if locked {
				id = lockID
			}
			if !isScope(id) {
				continue
			}
			var ok bool
			if info, ok = describe(p, id, name); !ok {
				continue // gone while we looked, or not a file
			}
		case isOrphan(p, name):
			var ok bool
			if info, ok = describeOrphan(p.root, id); !ok {
				continue
			}
		default:
			continue
		}
		info.Label, info.PID, _ = parseScopeID(id)
		info.Path, info.Kept = filepath.Join(p.path, id), kept
		list = append(list, info)
	}
	return list
}

// describeOrphan confirms that id is an orphan, and describes it.
func describeOrphan(parent *os.Root, id string) (ScopeInfo, bool) {
	fi, ok := confirmOrphan(parent, id)
	if !ok {
		return ScopeInfo{}, false
	}
	return ScopeInfo{Orphan: true, Created: fi.ModTime(), Size: treeSize(parent, id)}, true
}

// describe reads what Scopes reports of one scope.
func describe(p *parentDir, id, lockName string) (ScopeInfo, bool) {
	parent := p.root
	var info ScopeInfo
	fi, err := parent.Lstat(lockName)
	if err != nil || !fi.Mode().IsRegular() {
		return info, false
	}
	info.Created = fi.ModTime()
	if _, mine := live.Load(id); mine {
		// Ours: no need to look, and opening and closing our own lock file
		// would drop the lock where flock is emulated with POSIX locks.
		info.Live = true
	} else {
		lf, ok, _ := openLock(p, lockName)
		if !ok {
			return info, false
		}
		locked, err := lf.tryLock()
		if locked && !lf.linked() {
			lf.close()
			return info, false // the scope went while we looked
		}
		info.Live = err == nil && !locked
		lf.close() // releases a lock we took
	}
	info.Size = treeSize(parent, id)
	return info, true
}

// treeSize adds up the sizes of the regular files in the directory id,
// as far as it can read.
func treeSize(parent *os.Root, id string) (size int64) {
	r, err := parent.OpenRoot(id)
	if err != nil {
		return 0
	}
	defer r.Close()
	fs.WalkDir(r.FS(), ".", func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
			}
		}
		return nil
	})
	return size
}
