/* Copyright Crush authors.
 * Escape attempts through WASI. The host test prepares, next to the capsule root, a file
 * "secret.txt" holding SECRET and a directory "outside/", and inside the root symlinks that
 * point out (see tests/unit/runtime/isolation_test.cpp). Every attempt prints one line
 * "<name>: <errno name>" or "<name>: READ <content>"; the host asserts no line ever shows the
 * secret and that nothing outside the root was created or changed.
 * argv[1] is the host directory holding the root (so absolute host paths can be tried). */
#include "capsule_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int32_t raw_path_open(int32_t fd, int32_t dirflags, const char* path, int32_t path_len, int32_t oflags,
                      int64_t rights_base, int64_t rights_inheriting, int32_t fdflags, int32_t* ret)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("path_open")));

static void try_read(const char* name, int dirfd, const char* path) {
    char buf[128];
    int e = read_at(dirfd, path, buf, sizeof buf);
    if (e == 0)
        printf("%s: READ %s\n", name, buf);
    else
        report(name, e);
}

static void try_libc_read(const char* name, const char* path) {
    FILE* f = fopen(path, "r");
    if (!f) {
        report(name, errno);
        return;
    }
    char buf[128] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    printf("%s: READ %s\n", name, buf);
}

static void try_create(const char* name, int dirfd, const char* path, int oflags) {
    __wasi_fd_t fd;
    int e = open_at(dirfd, path, oflags, __WASI_RIGHTS_FD_WRITE, &fd);
    if (e == 0) {
        __wasi_ciovec_t iov = {(const uint8_t*)"pwned", 5};
        __wasi_size_t n;
        (void)__wasi_fd_write(fd, &iov, 1, &n);
        (void)__wasi_fd_close(fd);
    }
    report(name, e);
}

static int find_preopen(const char* want) {
    for (int fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
        char name[256];
        if (ps.u.dir.pr_name_len >= sizeof name) continue;
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t*)name, ps.u.dir.pr_name_len) != 0) continue;
        name[ps.u.dir.pr_name_len] = 0;
        if (strcmp(name, want) == 0) return fd;
    }
    return -1;
}

int main(int argc, char** argv) {
    const char* host_base = argc > 1 ? argv[1] : "/tmp";
    char host_secret[512];
    snprintf(host_secret, sizeof host_secret, "%s/secret.txt", host_base);

    /* Lexical escapes relative to the root preopen. */
    try_read("dotdot", 3, "../secret.txt");
    try_read("dotdot_chain", 3, "../../../../../../../../secret.txt");
    try_read("dotdot_inner", 3, "sub/../../secret.txt");
    try_read("absolute", 3, "/secret.txt");
    try_read("absolute_host", 3, host_secret);
    try_libc_read("libc_root_dotdot", "/../secret.txt");
    try_libc_read("libc_host_path", host_secret);
    try_libc_read("libc_inside", "/inside.txt");

    /* Symlinks planted by the host. */
    try_read("symlink_abs", 3, "link_abs");
    try_read("symlink_rel", 3, "link_rel");
    try_read("symlink_nested", 3, "sub/link_up");
    try_read("symlink_dir_abs", 3, "link_dir_abs/secret.txt");
    try_read("symlink_loop", 3, "loop_a");
    try_read("symlink_trailing_slash", 3, "link_abs/");
    try_libc_read("libc_symlink_rel", "/link_rel");

    /* Strange paths. */
    {
        static const char nul_path[] = "inside.txt\0../../secret.txt";
        int32_t fd = -1;
        report("nul_in_path",
               raw_path_open(3, 0, nul_path, sizeof nul_path - 1, 0, ALL_RIGHTS, ALL_RIGHTS, 0, &fd));
        char longname[400];
        memset(longname, 'a', sizeof longname - 1);
        longname[sizeof longname - 1] = 0;
        try_read("long_component", 3, longname);
        static char longpath[9000];
        for (size_t i = 0; i + 2 < sizeof longpath; i += 2) memcpy(longpath + i, "a/", 2);
        longpath[sizeof longpath - 1] = 0;
        try_read("long_path", 3, longpath);
    }

    /* Creating links and names that point out. */
    report("symlink_create_rel", __wasi_path_symlink("../secret.txt", 3, "made_rel"));
    try_read("symlink_made_rel", 3, "made_rel");
    report("symlink_create_abs", __wasi_path_symlink(host_secret, 3, "made_abs"));
    try_read("symlink_made_abs", 3, "made_abs");
    report("hardlink_out", __wasi_path_link(3, 0, "../secret.txt", 3, "hl"));
    report("hardlink_via_symlink",
           __wasi_path_link(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_rel", 3, "hl2"));
    try_create("create_moveme", 3, "moveme", __WASI_OFLAGS_CREAT);
    report("rename_out", __wasi_path_rename(3, "moveme", 3, "../moved"));
    report("rename_in", __wasi_path_rename(3, "../secret.txt", 3, "stolen"));
    report("mkdir_out", __wasi_path_create_directory(3, "../escaped"));
    try_create("create_through_dir_symlink", 3, "link_outdir/new.txt", __WASI_OFLAGS_CREAT);
    try_create("create_through_dangling", 3, "dangling_abs", __WASI_OFLAGS_CREAT);
    report("unlink_out", __wasi_path_unlink_file(3, "../secret.txt"));

    /* Listing "the parent of the root" shows the root or nothing. */
    {
        __wasi_fd_t fd;
        int e = open_at(3, "..", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, &fd);
        report("open_parent_of_root", e);
        DIR* d = opendir("/..");
        if (d) {
            struct dirent* ent;
            while ((ent = readdir(d)))
                if (strcmp(ent->d_name, "secret.txt") == 0) printf("listing_root_parent: SECRET visible\n");
            closedir(d);
        }
    }

    /* A read-only mount at /ro holding ro.txt. */
    int ro = find_preopen("/ro");
    printf("ro_mount_found: %s\n", ro >= 0 ? "ok" : "ENOENT");
    if (ro >= 0) {
        try_read("ro_read", ro, "ro.txt");
        try_create("ro_write_trunc", ro, "ro.txt", __WASI_OFLAGS_TRUNC);
        try_create("ro_create", ro, "new.txt", __WASI_OFLAGS_CREAT);
        report("ro_unlink", __wasi_path_unlink_file(ro, "ro.txt"));
        report("ro_mkdir", __wasi_path_create_directory(ro, "d"));
        report("ro_symlink", __wasi_path_symlink("ro.txt", ro, "l"));
        report("ro_rename_out", __wasi_path_rename(ro, "ro.txt", 3, "moved_ro"));
        report("ro_link_out", __wasi_path_link(ro, 0, "ro.txt", 3, "linked_ro"));
        try_read("ro_dotdot", ro, "../secret.txt");
        try_libc_read("libc_ro_dotdot", "/ro/../secret.txt");
    }
    return 0;
}
