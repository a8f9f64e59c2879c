// Package citest tests the places clawgate runs, through the built binary:
// the GitHub Action (action.yml's steps run the way the runner runs them),
// the pre-commit hooks (with the real pre-commit framework), the workflows
// the docs show (actionlint), and the git-aware scans they rely on
// (--staged, --since, --shard). It has no code of its own outside tests.
package citest
