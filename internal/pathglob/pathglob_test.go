package pathglob

import "testing"

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		glob, name string
		want       bool
	}{
		{"**", "a/b/c.env", true},
		{"*.env", "c.env", true},
		{"*.env", "a/b/c.env", true}, // no '/': base name at any depth
		{"a/*.env", "a/c.env", true},
		{"a/*.env", "a/b/c.env", false}, // '*' stays in one segment
		{"a/**/c.env", "a/c.env", true}, // "**" may match no segment
		{"a/**/c.env", "a/b/x/c.env", true},
		{"a/**", "a/b/c", true},
		{"a/**", "b/a/c", false},
		{"**/tests/**", "x/tests/y/z.py", true},
		{"**/tests/**", "x/test/y.py", false},
		{"tests/**/*.py", "tests/unit/a.py", true},
		{"tests/**/*.py", "tests/unit/a.go", false},
		{"./a/*.env", "a/c.env", true},
		{"[ab].env", "x/b.env", true},
		{"c.env", "a/c.env.bak", false},
	}
	for _, tt := range tests {
		if got := Match(tt.glob, tt.name); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.glob, tt.name, got, tt.want)
		}
	}
}
