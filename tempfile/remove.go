package tempfile

import "errors"

// Removing a scope is the one place where the package deletes what it
// did not make itself: whatever the user, a build tool or a child process
// put in the scope's directory. The promises (see removeTree): nothing
// outside the scope is touched — no symbolic link is followed, no `..`
// taken, no other mount entered or chmod'ed — the owner's permission bits
// are restored wherever they are in the way, the scope's own directory
// included, and every failure is reported, not just the first.

// errMountPoint is the error reported for a mount point inside a scope (a
// bind or FUSE mount, say). Removal never crosses into another mount: the
// mount point stays, with the scope's directories above it, and since an
// error is reported the scope's lock file stays too. Once it is unmounted,
// the next Sweep removes the rest.
var errMountPoint = errors.New("is a mount point; left in place")

// errMoved is the error reported for a directory that was moved or
// replaced while the removal was inside it: what is at its name now is
// not what the walk was emptying, so it is left alone.
var errMoved = errors.New("moved or replaced during removal; left in place")
