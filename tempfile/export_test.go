package tempfile

// MaxMade is how many file names a scope remembers for Cleanup.
const MaxMade = maxMade
