package tempfile_test

import "github.com/magekit/temp/internal/immutable"

var setImmutable = immutable.Set
