/* Copyright Crush authors.
 * Races symlink swaps: the host test flips "swap" between a directory inside the root (holding
 * secret.txt = "inside") and a symlink pointing out of it (to a directory whose secret.txt holds
 * SECRET), while this capsule opens and reads swap/secret.txt argv[1] times. Prints how many
 * reads saw each content; "SECRET" must never be seen. */
#include "capsule_test.h"

#include <stdlib.h>

int main(int argc, char** argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 2000;
    int inside = 0, failed = 0, secret = 0, other = 0;
    for (int i = 0; i < rounds; i++) {
        char buf[64];
        int e = read_at(3, i % 2 ? "swap/secret.txt" : "swap/../swap/secret.txt", buf, sizeof buf);
        if (e) {
            failed++;
        } else if (strstr(buf, "SECRET")) {
            secret++;
        } else if (strstr(buf, "inside")) {
            inside++;
        } else {
            other++;
        }
    }
    printf("inside: %d\nfailed: %d\nsecret: %d\nother: %d\n", inside, failed, secret, other);
    return secret ? 1 : 0;
}
