module github.com/coderclaw/clawgate

go 1.24
