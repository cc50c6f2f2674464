package tempfile

import "testing"

// BenchmarkMakeName is the cost of a name alone, without any syscall.
func BenchmarkMakeName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = makeName("/tmp", "@1234.", ".txt")
	}
}
