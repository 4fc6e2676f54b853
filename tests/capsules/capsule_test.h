/* Copyright Crush authors.
 * Shared helpers for the test capsules (guest side, wasm32-wasi C). Each check prints one line,
 * "<name>: <result>", where result is "ok" or the WASI errno name ("EBADF", "ENOTCAPABLE" …);
 * the host test compares those lines. wasi-libc's errno values are the WASI errno values. */
#ifndef CRUSH_CAPSULE_TEST_H
#define CRUSH_CAPSULE_TEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static inline const char* wasi_errno_name(int e) {
    static const char* const names[] = {
        "ok",           "E2BIG",           "EACCES",       "EADDRINUSE",   "EADDRNOTAVAIL",
        "EAFNOSUPPORT", "EAGAIN",          "EALREADY",     "EBADF",        "EBADMSG",
        "EBUSY",        "ECANCELED",       "ECHILD",       "ECONNABORTED", "ECONNREFUSED",
        "ECONNRESET",   "EDEADLK",         "EDESTADDRREQ", "EDOM",         "EDQUOT",
        "EEXIST",       "EFAULT",          "EFBIG",        "EHOSTUNREACH", "EIDRM",
        "EILSEQ",       "EINPROGRESS",     "EINTR",        "EINVAL",       "EIO",
        "EISCONN",      "EISDIR",          "ELOOP",        "EMFILE",       "EMLINK",
        "EMSGSIZE",     "EMULTIHOP",       "ENAMETOOLONG", "ENETDOWN",     "ENETRESET",
        "ENETUNREACH",  "ENFILE",          "ENOBUFS",      "ENODEV",       "ENOENT",
        "ENOEXEC",      "ENOLCK",          "ENOLINK",      "ENOMEM",       "ENOMSG",
        "ENOPROTOOPT",  "ENOSPC",          "ENOSYS",       "ENOTCONN",     "ENOTDIR",
        "ENOTEMPTY",    "ENOTRECOVERABLE", "ENOTSOCK",     "ENOTSUP",      "ENOTTY",
        "ENXIO",        "EOVERFLOW",       "EOWNERDEAD",   "EPERM",        "EPIPE",
        "EPROTO",       "EPROTONOSUPPORT", "EPROTOTYPE",   "ERANGE",       "EROFS",
        "ESPIPE",       "ESRCH",           "ESTALE",       "ETIMEDOUT",    "ETXTBSY",
        "EXDEV",        "ENOTCAPABLE"};
    if (e >= 0 && e < (int)(sizeof(names) / sizeof(names[0]))) return names[e];
    return "E?";
}

/* Print "<name>: <errno name>" for a raw WASI call's result. */
static inline void report(const char* name, int wasi_errno) {
    printf("%s: %s\n", name, wasi_errno_name(wasi_errno));
}

/* Rights a guest asks for when it wants "everything the directory allows". */
#define ALL_RIGHTS ((__wasi_rights_t)((1ull << 30) - 1))

/* path_open with a C string, following symlinks like libc's open(); returns the WASI errno,
 * the new fd in *fd. */
static inline int open_at(int dirfd, const char* path, int oflags, __wasi_rights_t rights, __wasi_fd_t* fd) {
    return __wasi_path_open(dirfd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights, ALL_RIGHTS, 0,
                            fd);
}

/* Read a whole small file relative to `dirfd` into buf (NUL-terminated); returns the errno. */
static inline int read_at(int dirfd, const char* path, char* buf, size_t cap) {
    __wasi_fd_t fd;
    int e = open_at(dirfd, path, 0, __WASI_RIGHTS_FD_READ, &fd);
    if (e) return e;
    __wasi_iovec_t iov = {(uint8_t*)buf, cap - 1};
    __wasi_size_t n = 0;
    e = __wasi_fd_read(fd, &iov, 1, &n);
    buf[e ? 0 : n] = 0;
    (void)__wasi_fd_close(fd);
    return e;
}

#endif
