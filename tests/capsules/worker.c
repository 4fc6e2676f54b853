/* Copyright Crush authors.
 * One of two capsules run at the same time in one process (tests/unit/runtime): both use the
 * same virtual paths, get the same handle numbers and change directory, but each must see only
 * its own files, environment and cwd. Prints what it observed; exit 1 on any surprise. */
#include "capsule_test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv) {
    const char* me = getenv("WORKER");
    if (!me) {
        printf("no WORKER variable\n");
        return 1;
    }
    int rounds = argc > 1 ? atoi(argv[1]) : 200;
    char dir[64];
    snprintf(dir, sizeof dir, "/home-%s", me);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        perror("mkdir");
        return 1;
    }
    if (chdir(dir) != 0) {
        perror("chdir");
        return 1;
    }
    int first_fd = -1;
    for (int i = 0; i < rounds; i++) {
        /* The same virtual path in both capsules. */
        FILE* f = fopen("/shared-name.txt", "w");
        if (!f) {
            perror("fopen w");
            return 1;
        }
        if (first_fd < 0) first_fd = fileno(f);
        fprintf(f, "%s %d\n", me, i);
        fclose(f);
        f = fopen("/shared-name.txt", "r");
        char line[64] = {0};
        if (!f || !fgets(line, sizeof line, f)) {
            printf("read back failed\n");
            return 1;
        }
        fclose(f);
        char want[64];
        snprintf(want, sizeof want, "%s %d\n", me, i);
        if (strcmp(line, want) != 0) {
            printf("saw someone else's file: %s", line);
            return 1;
        }
        char cwd[128];
        if (!getcwd(cwd, sizeof cwd) || strcmp(cwd, dir) != 0) {
            printf("cwd changed under us: %s\n", cwd);
            return 1;
        }
        const char* again = getenv("WORKER");
        if (!again || strcmp(again, me) != 0) {
            printf("environment changed\n");
            return 1;
        }
    }
    /* A relative path lands in this capsule's own cwd. */
    FILE* f = fopen("relative.txt", "w");
    if (f) {
        fprintf(f, "%s\n", me);
        fclose(f);
    }
    printf("worker %s: ok, first handle %d, cwd %s\n", me, first_fd, dir);
    return 0;
}
