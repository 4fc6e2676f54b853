/* Copyright Crush authors.
 * Prints its arguments and its whole environment, one per line ("arg: …", "env: …"), then
 * "getenv_HOME: …" and "getenv_PATH: …" (the host's must never show through). */
#include <stdio.h>
#include <stdlib.h>

extern char** environ;

int main(int argc, char** argv) {
    for (int i = 0; i < argc; i++) printf("arg: %s\n", argv[i]);
    for (char** e = environ; e && *e; e++) printf("env: %s\n", *e);
    const char* home = getenv("HOME");
    const char* path = getenv("PATH");
    printf("getenv_HOME: %s\n", home ? home : "(unset)");
    printf("getenv_PATH: %s\n", path ? path : "(unset)");
    return 0;
}
