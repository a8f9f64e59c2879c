package baseline

// The interactive audit's state: where in the queue the user is, and what
// each answer did to the file. Every answer is written at once, so a
// killed terminal loses nothing and the next run starts at the first entry
// still unlabelled.

import (
	"bytes"
)

// Session walks a queue of entries (see AuditQueue), labelling them one by
// one and writing the baseline after every change. It is not safe for
// concurrent use.
type Session struct {
	path  string
	file  *File
	opts  WriteOptions
	queue []int
	pos   int
	// last is the file as this session last read or wrote it: a write
	// over anything else would lose another tool's change.
	last []byte
	// before holds, for each entry labelled in this session, its
	// is_secret when the session began: a skip after going back restores
	// it, as detect-secrets' audit clears a label made earlier in the
	// session.
	before map[int]*bool
	// write is writeBytes; tests replace it.
	write func(path string, data []byte) error
}

// NewSession starts a walk over queue, indexes into f.Results; f was
// parsed from data, the content of path. Answers are written to path in
// data's form (see WriteOptionsFor).
func NewSession(path string, data []byte, f *File, queue []int) *Session {
	opts, _ := WriteOptionsFor(f, data)
	return &Session{path: path, file: f, opts: opts, queue: queue, last: data, before: map[int]*bool{}, write: writeBytes}
}

// save writes the file, unless someone else changed it since this session
// read or wrote it.
func (s *Session) save() error {
	cur, err := ReadBytes(s.path)
	if err != nil {
		return &Error{File: s.path, Msg: "cannot read the baseline before saving: " + err.(*Error).Msg, Err: err}
	}
	if !bytes.Equal(cur, s.last) {
		return &Error{File: s.path, Msg: "changed on disk during the audit (by another tool?); this answer is not saved, the earlier ones are: run the audit again"}
	}
	data := s.file.Marshal(s.opts)
	if err := s.write(s.path, data); err != nil {
		return err
	}
	s.last = data
	return nil
}

// Len is the number of entries in the walk.
func (s *Session) Len() int { return len(s.queue) }

// Pos is the 0-based position of the current entry; Len when done.
func (s *Session) Pos() int { return s.pos }

// Done reports whether the walk went past the last entry.
func (s *Session) Done() bool { return s.pos >= len(s.queue) }

// Entry is the current entry; nil when done.
func (s *Session) Entry() *Entry {
	if s.Done() {
		return nil
	}
	return &s.file.Results[s.queue[s.pos]]
}

// Label labels the current entry, writes the file and moves on. On a write
// error the label is undone in memory too, the position stays, and the
// file on disk is the one before this answer.
func (s *Session) Label(l Label) error {
	if s.Done() {
		return nil
	}
	i := s.queue[s.pos]
	e := &s.file.Results[i]
	old := e.IsSecret
	if setLabel(e, l) {
		if err := s.save(); err != nil {
			e.IsSecret = old
			return err
		}
		if _, ok := s.before[i]; !ok {
			s.before[i] = old
		}
	}
	s.pos++
	return nil
}

// Skip moves on. An entry labelled earlier in this session gets back the
// label it had when the session began (written at once), so skipping after
// going back takes an answer back.
func (s *Session) Skip() error {
	if s.Done() {
		return nil
	}
	i := s.queue[s.pos]
	if orig, ok := s.before[i]; ok {
		e := &s.file.Results[i]
		cur := e.IsSecret
		e.IsSecret = cloneBool(orig)
		if err := s.save(); err != nil {
			e.IsSecret = cur
			return err
		}
		delete(s.before, i)
	}
	s.pos++
	return nil
}

// Back goes to the previous entry; false when already at the first.
func (s *Session) Back() bool {
	if s.pos == 0 {
		return false
	}
	s.pos--
	return true
}

// Entries are the entries of the walk, in order.
func (s *Session) Entries() []*Entry {
	out := make([]*Entry, len(s.queue))
	for k, i := range s.queue {
		out[k] = &s.file.Results[i]
	}
	return out
}
