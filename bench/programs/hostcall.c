/* hostcall: many cheap host calls (clock_gettime -> WASI clock_time_get), nothing else.
 * Measures the cost of one guest->host round trip end to end; natively it is a vDSO call.
 * Usage: hostcall [calls]   (default 2000000). Under exo it needs the `clock` permission. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    long calls = argc > 1 ? atol(argv[1]) : 2000000;
    uint64_t acc = 0;
    struct timespec ts;
    for (long i = 0; i < calls; i++) {
        if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
            perror("clock_gettime");
            return 1;
        }
        acc += (uint64_t)ts.tv_nsec & 1;
    }
    printf("%ld calls (%llu odd)\n", calls, (unsigned long long)acc);
    return 0;
}
