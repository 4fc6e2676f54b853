// The smallest capsule: it prints. Needs only io.print, which a capsule run from the
// terminal is given.
#include <stdio.h>

int main(int argc, char** argv) {
    printf("Hello from a Crush capsule!\n");
    for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
    return 0;
}
