module github.com/coderclaw/clawgate

go 1.24

require github.com/owenrumney/go-sarif/v2 v2.3.3
