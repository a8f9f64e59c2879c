package scan

import (
	"unicode/utf16"
	"unicode/utf8"
)

// Text returns what a scan reads of content: content itself when it is
// text, its UTF-8 decoding when it is UTF-16 text with a byte-order mark,
// and binary true otherwise.
//
// Windows tools write UTF-16: PowerShell scripts, .reg exports, some
// .config and .rc files. Every other character of ASCII text in UTF-16 is
// a NUL byte, which marks a file binary, so without this a secret in such
// a file was never scanned. Only a file that would be skipped as binary is
// decoded: a text file that merely starts with the bytes of a BOM is
// scanned byte for byte, as gitleaks scans it (decoding it would hide its
// secrets: "\xff\xfe" in front of a key would be enough). Positions in
// findings of a decoded file are lines and characters of the decoded text,
// as an editor shows the file.
func Text(content []byte) (text []byte, binary bool) {
	if !IsBinary(content) {
		return content, false
	}
	if dec, ok := DecodeUTF16(content); ok && !IsBinary(dec) {
		return dec, false
	}
	return nil, true
}

// DecodeUTF16 returns content as UTF-8 when it starts with a UTF-16
// byte-order mark (the BOM itself dropped), and ok false otherwise. A lone
// surrogate or a trailing odd byte becomes U+FFFD.
func DecodeUTF16(content []byte) (text []byte, ok bool) {
	if len(content) < 2 {
		return nil, false
	}
	var be bool
	switch {
	case content[0] == 0xFF && content[1] == 0xFE:
		// UTF-32LE has the same first two bytes; it is rare enough to
		// leave to the binary test.
		if len(content) >= 4 && content[2] == 0 && content[3] == 0 {
			return nil, false
		}
	case content[0] == 0xFE && content[1] == 0xFF:
		be = true
	default:
		return nil, false
	}
	body := content[2:]
	out := make([]byte, 0, len(body)/2*3/2+4)
	unit := func(i int) uint16 {
		if be {
			return uint16(body[i])<<8 | uint16(body[i+1])
		}
		return uint16(body[i+1])<<8 | uint16(body[i])
	}
	for i := 0; i+1 < len(body); i += 2 {
		u := unit(i)
		r := rune(u)
		if utf16.IsSurrogate(r) {
			r = utf8.RuneError
			if u < 0xDC00 && i+3 < len(body) {
				if lo := unit(i + 2); lo >= 0xDC00 && lo <= 0xDFFF {
					r = utf16.DecodeRune(rune(u), rune(lo))
					i += 2
				}
			}
		}
		out = utf8.AppendRune(out, r)
	}
	if len(body)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return out, true
}
