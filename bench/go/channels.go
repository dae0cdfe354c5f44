// The Go peer of bench_channels: the same three programs with goroutines and
// Go's own channels, timed the same way (best of 3, in-process).
//   go run bench/go/channels.go [round trips]
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// Ping-pong: a value goes to the other goroutine and comes back, n times.
func pingpong(n int, capacity int) time.Duration {
	ping := make(chan int64, capacity)
	pong := make(chan int64, capacity)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	start := time.Now()
	for i := 0; i < n; i++ {
		ping <- int64(i)
		<-pong
	}
	close(ping)
	return time.Since(start)
}

// A 4-stage pipeline: generate, three stages that add one, a sink.
func pipeline(n int, capacity int) time.Duration {
	first := make(chan int64, capacity)
	in := first
	for s := 0; s < 3; s++ {
		out := make(chan int64, capacity)
		go func(in, out chan int64) {
			for v := range in {
				out <- v + 1
			}
			close(out)
		}(in, out)
		in = out
	}
	start := time.Now()
	go func() {
		for i := 0; i < n; i++ {
			first <- int64(i)
		}
		close(first)
	}()
	var sum int64
	for v := range in {
		sum += v
	}
	elapsed := time.Since(start)
	if want := int64(n)*int64(n-1)/2 + 3*int64(n); sum != want {
		fmt.Fprintln(os.Stderr, "pipeline lost values")
	}
	return elapsed
}

func best(f func() time.Duration) time.Duration {
	b := f()
	for i := 0; i < 2; i++ {
		if d := f(); d < b {
			b = d
		}
	}
	return b
}

func main() {
	n := 200000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	fmt.Printf("pingpong_unbuffered %.0f\n", float64(n)/best(func() time.Duration { return pingpong(n, 0) }).Seconds())
	fmt.Printf("pingpong_buffered %.0f\n", float64(n)/best(func() time.Duration { return pingpong(n, 64) }).Seconds())
	fmt.Printf("pipeline_unbuffered %.0f\n", float64(n)/best(func() time.Duration { return pipeline(n, 0) }).Seconds())
	fmt.Printf("pipeline_buffered %.0f\n", float64(n)/best(func() time.Duration { return pipeline(n, 64) }).Seconds())
}
