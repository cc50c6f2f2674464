// Package tempfile creates temporary files, names and directories safely,
// and removes them reliably.
//
// It is a modern Go port of the classic tempfile module: [Mktemp],
// [TemporaryFile], [Dir] (tempdir), [Prefix] (template, gettempprefix),
// grown to what Python 3.13's tempfile and Rust's tempfile crate offer:
//
//   - [CreateTemp] and [MkdirTemp] create a file or directory that is kept;
//   - [NewFile] creates a named file removed by Close, unless it is kept or
//     persisted (atomically renamed) to a final path;
//   - [NewSpooled] holds data in memory until it grows past a size, then
//     moves it to an unnamed file on disk;
//   - [WriteFile] replaces a file atomically and durably;
//   - [NewScope] makes a private directory whose contents are removed as
//     one unit, and [Sweep] removes the scopes of processes that died
//     without cleaning up.
//
// # Safety
//
// Every file is created with O_EXCL|O_NOFOLLOW|O_CLOEXEC and mode 0600,
// every directory with mode 0700, so a name planted in a shared /tmp (a
// symbolic link, say) makes the create fail and retry with a new name
// instead of writing through it. Scopes live in a per-user parent,
// Dir()/mgtemp-<uid>, that is refused if it is a symbolic link, owned by
// another user or open to group or others. Removal of a scope works through
// an [os.Root], so a directory swapped for a symbolic link while the
// removal runs cannot lead it outside the scope.
//
// # Crash safety
//
// Each scope holds an exclusive lock (flock on Unix, LockFileEx on Windows)
// on a lock file beside its directory for as long as it lives. The kernel
// drops the lock when the process exits, however it exits, so [Sweep] can
// tell a scope whose owner died from a live one without trusting pids.
//
// # Errors
//
// Errors from the file system are *fs.PathError (or *os.LinkError for
// renames) and keep fs.ErrExist, fs.ErrNotExist and fs.ErrPermission
// reachable through errors.Is. Bad input, such as a suffix holding a path
// separator or NUL, fails before anything is created with an error for
// which errors.Is(err, fs.ErrInvalid) holds.
//
// Every function is safe for concurrent use.
package tempfile
