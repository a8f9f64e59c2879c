package sarif

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// writeJSON writes v as indented JSON with a trailing newline, keeping the
// field order of the go-sarif types but dropping members whose value is
// null: some go-sarif fields lack omitempty (suppression.guid, .location),
// and the SARIF schema rejects null there. HTML characters stay as they are
// (help markdown is easier to read without \u003c).
func writeJSON(w io.Writer, v any) error {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	dec := json.NewDecoder(&raw)
	dec.UseNumber()
	bw := bufio.NewWriter(w)
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if err := writeValue(bw, dec, tok, 0); err != nil {
		return err
	}
	bw.WriteByte('\n')
	return bw.Flush()
}

func writeValue(w *bufio.Writer, dec *json.Decoder, tok json.Token, depth int) error {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return writeObject(w, dec, depth)
		case '[':
			return writeArray(w, dec, depth)
		}
		return fmt.Errorf("sarif: unexpected %v", t)
	case string:
		return writeString(w, t)
	case json.Number:
		w.WriteString(t.String())
	case bool:
		if t {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
	case nil:
		w.WriteString("null")
	}
	return nil
}

func writeObject(w *bufio.Writer, dec *json.Decoder, depth int) error {
	n := 0
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return err
		}
		val, err := dec.Token()
		if err != nil {
			return err
		}
		if val == nil {
			continue
		}
		if n == 0 {
			w.WriteByte('{')
		} else {
			w.WriteByte(',')
		}
		n++
		newline(w, depth+1)
		if err := writeString(w, keyTok.(string)); err != nil {
			return err
		}
		w.WriteString(": ")
		if err := writeValue(w, dec, val, depth+1); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return err
	}
	if n == 0 {
		w.WriteString("{}")
		return nil
	}
	newline(w, depth)
	w.WriteByte('}')
	return nil
}

func writeArray(w *bufio.Writer, dec *json.Decoder, depth int) error {
	n := 0
	for dec.More() {
		val, err := dec.Token()
		if err != nil {
			return err
		}
		if n == 0 {
			w.WriteByte('[')
		} else {
			w.WriteByte(',')
		}
		n++
		newline(w, depth+1)
		if err := writeValue(w, dec, val, depth+1); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return err
	}
	if n == 0 {
		w.WriteString("[]")
		return nil
	}
	newline(w, depth)
	w.WriteByte(']')
	return nil
}

func newline(w *bufio.Writer, depth int) {
	w.WriteByte('\n')
	w.WriteString(strings.Repeat("  ", depth))
}

func writeString(w *bufio.Writer, s string) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return err
	}
	w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return nil
}
