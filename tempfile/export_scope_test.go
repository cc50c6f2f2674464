package tempfile

// BeforeLock, if set, runs in NewScope with the parent's path and the
// new scope's id just before its lock file is created.
var BeforeLock = &beforeLock

// IsLive reports whether id is in this process's map of live scopes.
func IsLive(id string) bool { _, ok := live.Load(id); return ok }
