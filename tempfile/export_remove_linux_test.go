package tempfile

// Hooks for the removal's fallbacks, which this machine's kernel would
// otherwise never take: restoring an unreadable directory's bits through
// /proc/self/fd (before fchmodat2, Linux 6.6), and telling mounts apart
// by st_dev alone (before statx's mount id, Linux 5.8).
var (
	NoFchmodat2 = &noFchmodat2
	NoStatx     = &noStatx
)
