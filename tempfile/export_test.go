package tempfile

// MaxMade is how many file names a scope remembers for Cleanup.
const MaxMade = maxMade

// The in-memory bounds of a Spooled (see spoolMemoryLimit).
const (
	SpooledNoLimitMemory = spoolNoLimitMemory
	SpooledMaxMemory     = spoolMaxMemory
)
