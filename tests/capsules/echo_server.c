/* Copyright Crush authors.
 * A TCP echo server on the listener the runtime preopened for its net.listen permission:
 * finds the socket among its handles, accepts one connection (sock_accept), reads one line
 * (sock_recv), sends it back upper-cased (sock_send) and shuts down (sock_shutdown).
 * Prints what it did; exit 1 on any failure. */
#include "capsule_test.h"

#include <ctype.h>
#include <sys/socket.h>

int main(void) {
    int listener = -1;
    for (int fd = 3; fd < 100 && listener < 0; fd++) {
        __wasi_fdstat_t st;
        if (__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM)
            listener = fd;
    }
    if (listener < 0) {
        printf("no listener\n");
        return 1;
    }
    printf("listener: %d\n", listener);
    fflush(stdout);
    __wasi_fd_t conn;
    int e = __wasi_sock_accept(listener, 0, &conn);
    report("accept", e);
    if (e) return 1;
    printf("conn_handle_dynamic: %s\n", conn >= 100 ? "yes" : "no");
    char buf[256];
    size_t got = 0;
    while (got < sizeof buf - 1) {
        ssize_t n = recv(conn, buf + got, sizeof buf - 1 - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
        if (memchr(buf, '\n', got)) break;
    }
    buf[got] = 0;
    for (size_t i = 0; i < got; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
    ssize_t sent = send(conn, buf, got, 0);
    printf("echoed: %d\n", (int)sent);
    report("shutdown", shutdown(conn, SHUT_RDWR) == 0 ? 0 : errno);
    report("shutdown_listener_not_conn", __wasi_sock_shutdown(1, __WASI_SDFLAGS_WR));
    return 0;
}
