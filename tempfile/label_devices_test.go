package tempfile_test

import (
	"strings"
	"testing"

	"github.com/magekit/temp/tempfile"
)

// TestLabelSafeWindowsDevices: a scope's name on disk never starts with a
// name Windows keeps for a device, which no file may have even with an
// extension: CON, PRN, AUX, NUL, COM1-9 and LPT1-9 with the superscript
// digits ¹²³ as well, and the console's CONIN$ and CONOUT$ (the list Go's
// filepath.IsLocal uses), in any case.
func TestLabelSafeWindowsDevices(t *testing.T) {
	devices := []string{"CON", "PRN", "AUX", "NUL", "COM1", "COM9", "LPT1", "LPT9",
		"COM\u00b9", "COM\u00b2", "COM\u00b3", "LPT\u00b9", "LPT\u00b2", "LPT\u00b3", "CONIN$", "CONOUT$"}
	for _, d := range devices {
		for _, label := range []string{d, strings.ToLower(d), d + ".x"} {
			safe := tempfile.LabelSafe(label)
			base, _, _ := strings.Cut(safe, ".")
			for _, dd := range devices {
				if strings.EqualFold(base, dd) {
					t.Errorf("LabelSafe(%q) = %q: a Windows device name", label, safe)
				}
			}
		}
	}
}
