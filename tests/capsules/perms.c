/* Copyright Crush authors.
 * One permission-gated operation per run, chosen by argv[1]; the exit code is the WASI errno
 * the operation got (0 = allowed), so the result is visible even without io.print.
 *   print   fd_write to stdout (io.print)        input   fd_read from stdin (io.input)
 *   read    read /data/in.txt (fs.read)           write   create /data/out.txt (fs.write)
 *   list    readdir of / (fs.read)                stat    path_filestat_get /data/in.txt (fs.read)
 *   mkdir   mkdir /data/newdir (fs.write)         unlink  unlink /data/in.txt (fs.write)
 *   env     environ_sizes_get count > 0 (env.get) clock   clock_time_get (clock)
 *   random  random_get (random)                   trunc   open /data/in.txt O_TRUNC (fs.write) */
#include "capsule_test.h"

#include <stdlib.h>

static int run(const char* op) {
    __wasi_fd_t fd;
    if (!strcmp(op, "print")) {
        __wasi_ciovec_t iov = {(const uint8_t*)"printed\n", 8};
        __wasi_size_t n;
        return __wasi_fd_write(1, &iov, 1, &n);
    }
    if (!strcmp(op, "input")) {
        uint8_t b[4];
        __wasi_iovec_t iov = {b, sizeof b};
        __wasi_size_t n;
        return __wasi_fd_read(0, &iov, 1, &n);
    }
    if (!strcmp(op, "read")) {
        char buf[64];
        return read_at(3, "data/in.txt", buf, sizeof buf);
    }
    if (!strcmp(op, "write")) {
        int e = open_at(3, "data/out.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, &fd);
        if (e) return e;
        __wasi_ciovec_t iov = {(const uint8_t*)"out", 3};
        __wasi_size_t n;
        e = __wasi_fd_write(fd, &iov, 1, &n);
        (void)__wasi_fd_close(fd);
        return e;
    }
    if (!strcmp(op, "trunc")) {
        int e = open_at(3, "data/in.txt", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_WRITE, &fd);
        if (!e) (void)__wasi_fd_close(fd);
        return e;
    }
    if (!strcmp(op, "list")) {
        int e = open_at(3, ".", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, &fd);
        if (e) return e;
        uint8_t buf[256];
        __wasi_size_t used;
        e = __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used);
        (void)__wasi_fd_close(fd);
        return e;
    }
    if (!strcmp(op, "stat")) {
        __wasi_filestat_t st;
        return __wasi_path_filestat_get(3, 0, "data/in.txt", &st);
    }
    if (!strcmp(op, "mkdir")) return __wasi_path_create_directory(3, "data/newdir");
    if (!strcmp(op, "unlink")) return __wasi_path_unlink_file(3, "data/in.txt");
    if (!strcmp(op, "env")) {
        __wasi_size_t count = 0, size = 0;
        int e = __wasi_environ_sizes_get(&count, &size);
        if (e) return e;
        return count > 0 ? 0 : __WASI_ERRNO_ACCES;
    }
    if (!strcmp(op, "clock")) {
        __wasi_timestamp_t t;
        return __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t);
    }
    if (!strcmp(op, "random")) {
        uint8_t b[16];
        return __wasi_random_get(b, sizeof b);
    }
    return 255;
}

int main(int argc, char** argv) {
    return argc > 1 ? run(argv[1]) : 254;
}
