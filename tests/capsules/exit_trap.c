/* Copyright Crush authors.
 * Outcomes: argv[1] = "exit N" returns N from main, "proc_exit N" calls _Exit(N) (proc_exit),
 * "trap" traps inside a named function (the report's backtrace must name it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) void crush_guest_fails_here(int x) {
    if (x > 0) __builtin_trap();
}

int main(int argc, char** argv) {
    if (argc > 2 && !strcmp(argv[1], "exit")) return atoi(argv[2]);
    if (argc > 2 && !strcmp(argv[1], "proc_exit")) _Exit(atoi(argv[2]));
    if (argc > 1 && !strcmp(argv[1], "trap")) crush_guest_fails_here(argc);
    return 0;
}
