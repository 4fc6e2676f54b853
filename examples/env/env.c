// Prints its whole environment and a greeting built from it. HOME, PATH… are not there: a
// capsule's environment is only its manifest's [env] and what `exo run --env` adds.
#include <stdio.h>
#include <stdlib.h>

extern char** environ;

int main(void) {
    for (char** e = environ; *e; e++) printf("env: %s\n", *e);
    const char* greeting = getenv("GREETING");
    const char* target = getenv("TARGET");
    printf("%s, %s!\n", greeting ? greeting : "(no GREETING)", target ? target : "(no TARGET)");
    printf("HOME is %s\n", getenv("HOME") ? "set" : "not set");
    return 0;
}
