/* Copyright Crush authors.
 * Outbound TCP through the `exo` module: exo.sock_connect(argv[1] address text, argv[2] port),
 * send "ping\n", read the reply, print it. Exit code: the errno of the connect (0 = connected). */
#include "capsule_test.h"

#include <stdlib.h>
#include <sys/socket.h>

int32_t exo_sock_connect(const char* addr, int32_t addr_len, int32_t port, int32_t* out_fd)
    __attribute__((__import_module__("exo"), __import_name__("sock_connect")));

int main(int argc, char** argv) {
    if (argc < 3) return 255;
    int32_t fd = -1;
    int e = exo_sock_connect(argv[1], (int32_t)strlen(argv[1]), atoi(argv[2]), &fd);
    report("connect", e);
    if (e) return e;
    printf("handle_dynamic: %s\n", fd >= 100 ? "yes" : "no");
    send(fd, "ping\n", 5, 0);
    char buf[64] = {0};
    ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
    printf("reply: %s", n > 0 ? buf : "(none)\n");
    return 0;
}
