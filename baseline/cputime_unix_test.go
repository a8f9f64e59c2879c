//go:build unix

package baseline

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used. Timing tests measure it
// rather than wall time, so a busy machine does not make them fail.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
