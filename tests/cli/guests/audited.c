// A guest for the --audit/--trace/--learn tests: reads /data/in.txt and $GREETING, creates /out
// and writes /out/a, /out/b, /out/c, prints what happened. Exit 0 only when everything worked.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int main(void) {
    int failed = 0;
    char line[64] = "";
    FILE* in = fopen("/data/in.txt", "r");
    if (in) {
        if (!fgets(line, sizeof line, in)) line[0] = 0;
        fclose(in);
    } else {
        failed = 1;
    }
    const char* greeting = getenv("GREETING");
    printf("read: %s greeting: %s\n", in ? "ok" : strerror(errno), greeting ? greeting : "unset");
    if (!greeting) failed = 1;
    if (mkdir("/out", 0755) != 0 && errno != EEXIST) failed = 1;
    const char* names[] = {"/out/a", "/out/b", "/out/c"};
    for (int i = 0; i < 3; i++) {
        FILE* f = fopen(names[i], "w");
        if (!f) {
            printf("write %s: %s\n", names[i], strerror(errno));
            failed = 1;
            continue;
        }
        fputs(line, f);
        fclose(f);
    }
    return failed;
}
