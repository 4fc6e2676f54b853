// Reads /input (a read-only mount) and writes /output/summary.txt: lines and words per file.
// Shows scoped permissions: fs.read only under /input, fs.write only under /output.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const struct dirent** a, const struct dirent** b) { return strcmp((*a)->d_name, (*b)->d_name); }

int main(void) {
    if (mkdir("/output", 0755) != 0 && errno != EEXIST) {
        printf("cannot create /output: %s\n", strerror(errno));
        return 1;
    }
    FILE* out = fopen("/output/summary.txt", "w");
    if (!out) {
        printf("cannot write /output/summary.txt: %s\n", strerror(errno));
        return 1;
    }
    struct dirent** names = NULL;
    int n = scandir("/input", &names, NULL, by_name);
    if (n < 0) {
        printf("cannot list /input: %s\n", strerror(errno));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] == '.') continue;
        char path[512];
        snprintf(path, sizeof path, "/input/%s", names[i]->d_name);
        FILE* in = fopen(path, "r");
        if (!in) {
            printf("cannot read %s: %s\n", path, strerror(errno));
            return 1;
        }
        int c, lines = 0, words = 0, in_word = 0;
        while ((c = fgetc(in)) != EOF) {
            if (c == '\n') lines++;
            int space = c == ' ' || c == '\n' || c == '\t';
            if (!space && !in_word) words++;
            in_word = !space;
        }
        fclose(in);
        fprintf(out, "%s: %d lines, %d words\n", names[i]->d_name, lines, words);
        printf("%s: %d lines, %d words\n", path, lines, words);
    }
    fclose(out);
    // The mount is read-only: even a granted-looking write there fails.
    FILE* sneaky = fopen("/input/new.txt", "w");
    printf("writing /input/new.txt: %s\n", sneaky ? "succeeded?!" : strerror(errno));
    printf("wrote /output/summary.txt\n");
    return sneaky ? 1 : 0;
}
