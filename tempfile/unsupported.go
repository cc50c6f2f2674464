//go:build !unix && !windows

package tempfile

// tempfile needs a Unix or Windows file system API (exclusive creates,
// advisory locks, rename without replace): on other platforms (js/wasm,
// wasip1, plan9) the build stops on this import, whose package has no
// file there: "build constraints exclude all Go files in
// .../internal/requires-unix-or-windows".
import _ "github.com/magekit/temp/internal/requires-unix-or-windows"
