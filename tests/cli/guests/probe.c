// A guest for exo's command-line smoke tests: each argv[1] exercises one outcome.
//   write PATH      create PATH; prints "write ok" or "write failed: <errno text>"
//   write-hostile   the same on a path full of terminal control characters
//   env NAME        prints NAME=value or NAME unset
//   trap            executes `unreachable`
//   spin            loops forever (stopped by --fuel)
//   exit N          exits with status N
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int do_write(const char* path) {
    FILE* f = fopen(path, "w");
    if (!f) {
        printf("write failed: %s\n", strerror(errno));
        return 1;
    }
    fputs("data\n", f);
    fclose(f);
    printf("write ok\n");
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    const char* what = argv[1];
    if (strcmp(what, "write") == 0 && argc > 2) return do_write(argv[2]);
    if (strcmp(what, "write-hostile") == 0) return do_write("/evil\x1b[2J\n.txt");
    if (strcmp(what, "env") == 0 && argc > 2) {
        const char* v = getenv(argv[2]);
        if (v)
            printf("%s=%s\n", argv[2], v);
        else
            printf("%s unset\n", argv[2]);
        return 0;
    }
    if (strcmp(what, "trap") == 0) __builtin_trap();
    if (strcmp(what, "spin") == 0) {
        volatile unsigned n = 0;
        for (;;) n++;
    }
    if (strcmp(what, "exit") == 0 && argc > 2) exit(atoi(argv[2]));
    return 2;
}
