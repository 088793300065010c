package cost

import "time"

// LambdaInvocation is the usage of one Lambda invocation: one request, and
// duration × memory, with the duration rounded up to the next millisecond
// ("Duration is calculated from the time your code begins executing until
// it returns or otherwise terminates, rounded up to the nearest 1 ms" —
// https://aws.amazon.com/lambda/pricing/). The duration is the billed one:
// on AWS the REPORT log line's "Billed Duration" (which includes init time
// for the runtimes that bill it); locally, the handler's measured time.
// memoryMB is the function's configured memory, not the memory used.
func LambdaInvocation(memoryMB int, d time.Duration) Usage {
	ms := int64((d + time.Millisecond - 1) / time.Millisecond)
	if ms < 1 {
		ms = 1
	}
	return Usage{LambdaRequests: 1, LambdaMBms: int64(memoryMB) * ms}
}
