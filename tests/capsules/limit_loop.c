/* Copyright Crush authors.
 * Hostile capsule for the fuel and time limits (issue 4).
 *   spin        an infinite loop with no calls (only fuel or the time limit's interrupt stop it)
 *   sleep       poll_oneoff on a one-hour clock (blocked in the host: the deadline must wake it)
 *   read        a blocking read on stdin (blocked in the host on a stream)
 *   count N     honest work: sums a hash over N steps and prints "sum: <value>" (the healthy
 *               neighbour in concurrency tests, and the fuel-determinism workload) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static unsigned count(unsigned n) {
    unsigned h = 2166136261u;
    for (unsigned i = 0; i < n; ++i) h = (h ^ i) * 16777619u;
    return h;
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "spin";
    if (strcmp(mode, "spin") == 0) {
        volatile unsigned x = 0;
        for (;;) x = x + 1;
    }
    if (strcmp(mode, "sleep") == 0) {
        __wasi_subscription_t sub;
        memset(&sub, 0, sizeof sub);
        sub.u.tag = __WASI_EVENTTYPE_CLOCK;
        sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
        sub.u.u.clock.timeout = 3600ull * 1000000000ull;
        __wasi_event_t ev;
        __wasi_size_t n = 0;
        for (;;) (void)__wasi_poll_oneoff(&sub, &ev, 1, &n);
    }
    if (strcmp(mode, "read") == 0) {
        char buf[64];
        for (;;) (void)read(0, buf, sizeof buf);
    }
    if (strcmp(mode, "count") == 0) {
        unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 1000;
        printf("sum: %u\n", count(n));
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
