package mgtemp

import "testing"

// TestParseKeep: MGTEMP_KEEP reads like strconv.ParseBool plus on/off,
// yes/no and y/n, in any case, trimmed; anything else is not ok (a
// warning) and means no. Before, "FALSE", "off", "No", "n" and " 0" all
// meant keep.
func TestParseKeep(t *testing.T) {
	cases := []struct {
		in       string
		keep, ok bool
	}{
		{"", false, true},
		{"1", true, true}, {"t", true, true}, {"T", true, true}, {"true", true, true}, {"TRUE", true, true}, {"True", true, true},
		{"on", true, true}, {"ON", true, true}, {"yes", true, true}, {"Yes", true, true}, {"y", true, true}, {"Y", true, true},
		{"0", false, true}, {"f", false, true}, {"F", false, true}, {"false", false, true}, {"FALSE", false, true}, {"False", false, true},
		{"off", false, true}, {"Off", false, true}, {"no", false, true}, {"No", false, true}, {"n", false, true}, {"N", false, true},
		{" 0", false, true}, {"1 ", true, true}, {"\tyes\n", true, true}, {"  ", false, true},
		{"2", false, false}, {"keep", false, false}, {"tru", false, false}, {"0x1", false, false}, {"nope", false, false}, {"-1", false, false},
	}
	for _, c := range cases {
		keep, ok := parseKeep(c.in)
		if keep != c.keep || ok != c.ok {
			t.Errorf("parseKeep(%q) = %v, %v; want %v, %v", c.in, keep, ok, c.keep, c.ok)
		}
	}
}
