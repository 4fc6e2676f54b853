/* Copyright Crush authors.
 * Virtual handles: the first handle a capsule opens is 100, numbers are not reused, and forged,
 * stale or wrong-kind numbers give EBADF. fd_renumber with guest-chosen numbers must neither
 * crash the host nor leak the handle it replaces. Prints "<name>: <result>" lines. */
#include "capsule_test.h"

static int write_fd(int fd, const char* text) {
    __wasi_ciovec_t iov = {(const uint8_t*)text, strlen(text)};
    __wasi_size_t n;
    return __wasi_fd_write(fd, &iov, 1, &n);
}

int main(void) {
    __wasi_fd_t a, b, c, d;
    int e = open_at(3, "a.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READ, &a);
    printf("open_a: %s %u\n", wasi_errno_name(e), (unsigned)a);
    e = open_at(3, "b.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READ, &b);
    printf("open_b: %s %u\n", wasi_errno_name(e), (unsigned)b);

    /* Forged numbers: between the aliases and 100, just above the last, far away, negative. */
    report("forged_4", write_fd(4, "x"));
    report("forged_42", write_fd(42, "x"));
    report("forged_99", write_fd(99, "x"));
    report("forged_102", write_fd(102, "x"));
    report("forged_65536", write_fd(65536, "x"));
    report("forged_neg", write_fd(-1, "x"));
    report("forged_close", __wasi_fd_close(4242));

    /* Stale: closed handles stay dead, and their numbers are not handed out again. */
    report("close_a", __wasi_fd_close(a));
    report("stale_write", write_fd(a, "x"));
    report("stale_close", __wasi_fd_close(a));
    e = open_at(3, "c.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READ, &c);
    printf("open_c: %s %u\n", wasi_errno_name(e), (unsigned)c);

    /* Wrong kind: a file is not a directory, a directory cannot be written. */
    report("file_as_dir", open_at(b, "x", 0, 0, &d));
    report("dir_write", write_fd(3, "x"));

    /* fd_renumber: onto a live handle (the old one is closed, not leaked), onto forged numbers. */
    report("renumber_c_to_b", __wasi_fd_renumber(c, b));
    report("renumber_old_gone", write_fd(c, "x"));
    report("renumber_new_works", write_fd(b, "renumbered"));
    report("renumber_to_forged", __wasi_fd_renumber(b, 7777));
    report("renumber_from_forged", __wasi_fd_renumber(7777, b));
    report("renumber_to_neg", __wasi_fd_renumber(b, -5));
    report("renumber_self", __wasi_fd_renumber(b, b));
    report("still_works", write_fd(b, "!"));

    /* Many opens and closes: numbers keep growing, nothing is reused. */
    __wasi_fd_t last = 0;
    for (int i = 0; i < 50; i++) {
        __wasi_fd_t t;
        if (open_at(3, "c.txt", 0, __WASI_RIGHTS_FD_READ, &t) != 0) break;
        last = t;
        (void)__wasi_fd_close(t);
    }
    printf("after_churn: %u\n", (unsigned)last);
    /* Leave b open on purpose: the runtime must close it when the capsule ends. */
    return 0;
}
