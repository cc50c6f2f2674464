package tempfile

// LabelSafe is the scope label as it appears in names on this platform.
var LabelSafe = labelSafe
