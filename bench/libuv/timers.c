/* The libuv peer of bench_loop: N timers with due times spread over 0-9 ms,
 * each firing once, on one loop; then N immediates (check handles in libuv
 * are what node's setImmediate uses: here one idle-free uv_check per round).
 * Prints "timers <created and fired per second>", best of 3.
 *   cc -O2 timers.c -luv -o timers && ./timers N */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <uv.h>

static long fired;

static void on_timer(uv_timer_t* t) {
    ++fired;
    uv_close((uv_handle_t*)t, NULL);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double run(long n) {
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_timer_t* timers = malloc(sizeof(uv_timer_t) * (size_t)n);
    fired = 0;
    const double start = now();
    for (long i = 0; i < n; ++i) {
        uv_timer_init(&loop, &timers[i]);
        uv_timer_start(&timers[i], on_timer, (uint64_t)(i % 10), 0);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    const double took = now() - start;
    uv_loop_close(&loop);
    free(timers);
    if (fired != n) {
        fprintf(stderr, "fired %ld of %ld\n", fired, n);
        exit(1);
    }
    return took;
}

int main(int argc, char** argv) {
    const long n = argc > 1 ? atol(argv[1]) : 200000;
    double best = run(n);
    for (int i = 0; i < 2; ++i) {
        const double t = run(n);
        if (t < best) best = t;
    }
    printf("timers %.0f\n", (double)n / best);
    return 0;
}
