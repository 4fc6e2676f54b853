/* Copyright Crush authors.
 * An ordinary C program, compiled unchanged against the stock wasi-libc: stdio, dirent, stat,
 * time and rand. It writes a few files under /work, lists them sorted with their sizes, reads
 * one back with fgets, checks the clock and random numbers are sane, and echoes stdin.
 * Needs fs.read, fs.write, clock, random, io.print, io.input. Deterministic output. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void* a, const void* b) {
    return strcmp(*(char* const*)a, *(char* const*)b);
}

int main(int argc, char** argv) {
    if (mkdir("/work", 0755) != 0 && errno != EEXIST) {
        perror("mkdir /work");
        return 1;
    }
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "/work/file%d.txt", i);
        FILE* f = fopen(name, "w");
        if (!f) {
            perror(name);
            return 1;
        }
        for (int j = 0; j <= i; j++) fprintf(f, "line %d of file %d\n", j, i);
        fclose(f);
    }

    /* Relative paths go through the (per-capsule) working directory. */
    if (chdir("/work") != 0) {
        perror("chdir");
        return 1;
    }
    char cwd[256];
    printf("cwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");

    DIR* d = opendir(".");
    if (!d) {
        perror("opendir");
        return 1;
    }
    char* names[32];
    int n = 0;
    struct dirent* ent;
    while ((ent = readdir(d)) && n < 32)
        if (ent->d_name[0] != '.') names[n++] = strdup(ent->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) != 0) {
            perror(names[i]);
            return 1;
        }
        printf("%s %lld %s\n", names[i], (long long)st.st_size, S_ISREG(st.st_mode) ? "file" : "other");
        free(names[i]);
    }

    FILE* f = fopen("file2.txt", "r");
    char line[128];
    while (f && fgets(line, sizeof line, f)) printf("read: %s", line);
    if (f) fclose(f);

    time_t now = time(NULL);
    printf("time_sane: %s\n", now > 1600000000 ? "yes" : "no");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("monotonic: %s\n",
           (t1.tv_sec > t0.tv_sec || (t1.tv_sec == t0.tv_sec && t1.tv_nsec >= t0.tv_nsec)) ? "yes" : "no");
    struct tm tm;
    gmtime_r(&now, &tm);
    printf("year_sane: %s\n", tm.tm_year + 1900 >= 2020 ? "yes" : "no");

    srand((unsigned)now);
    int in_range = 1;
    for (int i = 0; i < 100; i++) {
        int r = rand() % 6;
        if (r < 0 || r > 5) in_range = 0;
    }
    printf("rand_in_range: %s\n", in_range ? "yes" : "no");
    unsigned char rnd[64];
    if (getentropy(rnd, sizeof rnd) != 0) {
        perror("getentropy");
        return 1;
    }

    if (unlink("file0.txt") != 0) perror("unlink");
    printf("unlinked: %s\n", access("file0.txt", F_OK) != 0 ? "yes" : "no");

    char in[128];
    while (fgets(in, sizeof in, stdin)) printf("stdin: %s", in);
    for (int i = 1; i < argc; i++) printf("arg: %s\n", argv[i]);
    fprintf(stderr, "to stderr\n");
    return 0;
}
