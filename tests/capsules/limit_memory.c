/* Copyright Crush authors.
 * Hostile capsule for the memory limit (issue 4): grows linear memory 1 MiB at a time until
 * refused, then proves it is still alive by printing.
 *   grow     memory.grow until it returns -1; prints "grew: <MiB grown>" and "refused: -1"
 *   malloc   malloc 1 MiB blocks until NULL; prints "blocks: <count>" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "grow";
    if (strcmp(mode, "grow") == 0) {
        long grown = 0;
        long r;
        while ((r = __builtin_wasm_memory_grow(0, 16)) != -1) grown += 1;  /* 16 pages = 1 MiB */
        printf("grew: %ld\n", grown);
        printf("refused: %ld\n", r);
        return 0;
    }
    if (strcmp(mode, "malloc") == 0) {
        long blocks = 0;
        while (malloc(1 << 20) != NULL) ++blocks;
        printf("blocks: %ld\n", blocks);
        return 0;
    }
    return 2;
}
