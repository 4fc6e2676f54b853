/* Copyright Crush authors.
 * Hostile capsule for the io limit (issue 4): writes 4 KiB blocks to stdout forever. The io
 * limit fails a write (EIO) and ends the run; if the run were not ended it would print
 * "flood: stopped" to stderr and exit 3 (the test rejects that). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    static char block[4096];
    memset(block, 'y', sizeof block);
    block[sizeof block - 1] = '\n';
    for (;;) {
        if (write(1, block, sizeof block) < 0) break;
    }
    fprintf(stderr, "flood: stopped\n");
    return 3;
}
