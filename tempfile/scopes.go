package tempfile

import (
	"cmp"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ScopeInfo describes a scope found by [Scopes].
type ScopeInfo struct {
	Path    string    // the scope's directory
	Label   string    // the name given to NewScope (a build target, say), exactly; for an orphan, as its directory's name holds it
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
// could. Telling live from stale takes the lock for an instant; that
// never disturbs a live scope, whose lock cannot be taken.
func Scopes(dir string) ([]ScopeInfo, error) {
	parents, err := listParents(dir)
	defer closeParents(parents)
	var list []ScopeInfo
	for _, p := range parents {
		list = listParent(p, list)
	}
	slices.SortFunc(list, func(a, b ScopeInfo) int {
		return cmp.Or(strings.Compare(filepath.Base(a.Path), filepath.Base(b.Path)), strings.Compare(a.Path, b.Path))
	})
	return list, err
}

// listParent appends the scopes of one parent to list.
func listParent(p *parentDir, list []ScopeInfo) []ScopeInfo {
	for _, name := range p.names {
		id, kept := strings.CutSuffix(name, keptExt)
		lockID, locked := strings.CutSuffix(name, lockExt)
		if locked {
			id = lockID
		}
		orphan := !kept && !locked && isOrphan(p, name)
		label, pid, ok := parseScopeID(id)
		if !ok || !kept && !locked && !orphan {
			continue
		}
		info := ScopeInfo{Path: filepath.Join(p.path, id), Label: label, PID: pid, Kept: kept, Orphan: orphan}
		if orphan {
			ok = describeOrphan(p.root, id, &info)
		} else {
			ok = describe(p, id, name, &info)
		}
		if ok { // else gone while we looked, or not what its name says
			list = append(list, info)
		}
	}
	return list
}

// describeOrphan confirms that id is an orphan, and describes it.
func describeOrphan(parent *os.Root, id string, info *ScopeInfo) bool {
	fi, ok := confirmOrphan(parent, id)
	if !ok {
		return false
	}
	info.Created, info.Size = fi.ModTime(), treeSize(parent, id)
	return true
}

// describe fills in what Scopes reports of the scope id, whose lock file
// (or keep marker) is lockName: whether it is live, its label as given,
// when it was made and its size.
func describe(p *parentDir, id, lockName string, info *ScopeInfo) bool {
	fi, err := p.root.Lstat(lockName)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	info.Created = fi.ModTime()
	if v, mine := live.Load(id); mine {
		// Ours: no need to look, and opening and closing our own lock file
		// would drop the lock where flock is emulated with POSIX locks.
		info.Live = true
		if s, ok := v.(*Scope); ok {
			info.Label = s.label
		}
	} else {
		lf, ok, _ := openLock(p, lockName)
		if !ok {
			return false
		}
		locked, err := lf.tryLock()
		if locked && !lf.linked() {
			lf.close()
			return false // the scope went while we looked
		}
		info.Live = err == nil && !locked
		if strings.ContainsRune(info.Label, labelReplacement) {
			// labelSafe may have changed it: the label as given is inside.
			info.Label = labelFrom(lf.readLabel(), info.Label)
		}
		lf.close() // releases a lock we took
	}
	info.Size = treeSize(p.root, id)
	return true
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
