/* Copyright Crush authors.
 * Hostile capsule for the disk limit (issue 4): writes keep.txt ("precious\n"), then fills
 * fill.bin in 64 KiB writes until one is refused; prints "written: <bytes of fill.bin>",
 * "error: <errno name>", then reads keep.txt back ("keep: precious"). Needs fs.read/fs.write. */
#include "capsule_test.h"

#include <stdlib.h>

static int write_all(__wasi_fd_t fd, const char* p, size_t n, __wasi_size_t* done) {
    __wasi_ciovec_t iov = {(const uint8_t*)p, n};
    return __wasi_fd_write(fd, &iov, 1, done);
}

int main(void) {
    __wasi_fd_t fd;
    __wasi_size_t n = 0;
    int e = open_at(3, "keep.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_WRITE, &fd);
    if (!e) e = write_all(fd, "precious\n", 9, &n);
    report("keep_write", e);
    (void)__wasi_fd_close(fd);

    e = open_at(3, "fill.bin", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_WRITE, &fd);
    if (e) {
        report("fill_open", e);
        return 1;
    }
    static char chunk[64 * 1024];
    memset(chunk, 'x', sizeof chunk);
    unsigned long long written = 0;
    for (;;) {
        e = write_all(fd, chunk, sizeof chunk, &n);
        if (e) break;
        written += n;
        if (written > (1ull << 34)) break;  /* a runaway quota bug: stop at 16 GiB anyway */
    }
    (void)__wasi_fd_close(fd);
    printf("written: %llu\n", written);
    report("error", e);
    char buf[64];
    e = read_at(3, "keep.txt", buf, sizeof buf);
    if (e) report("keep", e);
    else printf("keep: %s", buf);
    return 0;
}
