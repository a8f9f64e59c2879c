package secrets

// keywordIndex finds every occurrence of a set of lowercase ASCII keywords
// in text, ASCII case-insensitively, in one pass: an Aho-Corasick automaton
// compiled to a dense transition table. Unlike gitleaks' prefilter it keeps
// positions (windows are cut around them) and allocates nothing per byte.
type keywordIndex struct {
	next [][256]uint32 // state × byte (already lowercased) → state
	out  [][]int32     // state → keywords ending here (incl. via suffix links)
	kw   []string
}

func newKeywordIndex(keywords []string) *keywordIndex {
	ki := &keywordIndex{kw: keywords}
	type node struct {
		child map[byte]uint32
		fail  uint32
		out   []int32
	}
	nodes := []node{{child: map[byte]uint32{}}}
	for i, k := range keywords {
		s := uint32(0)
		for j := 0; j < len(k); j++ {
			c := lowerByte(k[j])
			nx, ok := nodes[s].child[c]
			if !ok {
				nodes = append(nodes, node{child: map[byte]uint32{}})
				nx = uint32(len(nodes) - 1)
				nodes[s].child[c] = nx
			}
			s = nx
		}
		nodes[s].out = append(nodes[s].out, int32(i))
	}
	ki.next = make([][256]uint32, len(nodes))
	ki.out = make([][]int32, len(nodes))
	// Breadth-first: a state's failure target is final before its children.
	queue := []uint32{}
	for c := 0; c < 256; c++ {
		if nx, ok := nodes[0].child[byte(c)]; ok {
			ki.next[0][c] = nx
			nodes[nx].fail = 0
			queue = append(queue, nx)
		}
	}
	ki.out[0] = nodes[0].out
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		ki.out[s] = append(append([]int32(nil), nodes[s].out...), ki.out[nodes[s].fail]...)
		for c := 0; c < 256; c++ {
			if nx, ok := nodes[s].child[byte(c)]; ok {
				ki.next[s][c] = nx
				nodes[nx].fail = ki.next[nodes[s].fail][c]
				queue = append(queue, nx)
			} else {
				ki.next[s][c] = ki.next[nodes[s].fail][c]
			}
		}
	}
	return ki
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

var lowerTable = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		t[c] = lowerByte(byte(c))
	}
	return t
}()

// scan calls hit(start, keyword) for every occurrence in text.
func (ki *keywordIndex) scan(text string, hit func(start int, kw int32)) {
	s := uint32(0)
	next, out := ki.next, ki.out
	for i := 0; i < len(text); i++ {
		s = next[s][lowerTable[text[i]]]
		if o := out[s]; len(o) > 0 {
			for _, k := range o {
				hit(i+1-len(ki.kw[k]), k)
			}
		}
	}
}
