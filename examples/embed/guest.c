// The capsule of the embedding example: asks its host for capitals through env_ext.lookup, a
// host function the embedder offers behind the permission "demo.lookup" (see Capsule.toml).
// Built with: clang --target=wasm32-wasi --sysroot=/usr -O2 -o guest.wasm guest.c
#include <stdio.h>
#include <string.h>

/// Writes the value for `key` into out[0..capacity) and returns its length, or -1 if unknown.
__attribute__((import_module("env_ext"), import_name("lookup")))
int lookup(const char* key, int key_length, char* out, int capacity);

int main(void) {
    const char* keys[] = {"france", "japan", "atlantis"};
    for (int i = 0; i < 3; i++) {
        char value[64];
        int n = lookup(keys[i], (int)strlen(keys[i]), value, (int)sizeof value);
        if (n < 0)
            printf("%s: unknown\n", keys[i]);
        else
            printf("%s: %.*s\n", keys[i], n, value);
    }
    return 0;
}
