/* Copyright Crush authors.
 * Hostile capsule for the handles limit (issue 4): opens the same file again and again, never
 * closing, until refused; prints "opened: <count>" and "error: <errno name>", then closes one
 * and shows a new open works again ("reopen: ok"). Needs fs.read and fs.write on the root. */
#include "capsule_test.h"

int main(void) {
    __wasi_fd_t fd = 0, last = 0;
    int e = open_at(3, "leak.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, &fd);
    if (e) {
        report("create", e);
        return 1;
    }
    long opened = 1;
    last = fd;
    for (;;) {
        e = open_at(3, "leak.txt", 0, __WASI_RIGHTS_FD_READ, &fd);
        if (e) break;
        last = fd;
        ++opened;
        if (opened > 1000000) break;
    }
    printf("opened: %ld\n", opened);
    report("error", e);
    (void)__wasi_fd_close(last);
    report("reopen", open_at(3, "leak.txt", 0, __WASI_RIGHTS_FD_READ, &fd));
    return 0;
}
