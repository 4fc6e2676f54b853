// A network echo client. WASI preview1 cannot open a client socket, so Crush's `exo` host
// module adds exo.sock_connect (src/wasi/exo_functions.def); the gate checks the exact address
// against the manifest's net.connect grants. Usage: echo-client [PORT] [MESSAGE]
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// exo.sock_connect(address text, its length, port, out handle) -> WASI errno (0 = connected).
int32_t exo_sock_connect(const char* addr, int32_t addr_len, int32_t port, int32_t* out_fd)
    __attribute__((__import_module__("exo"), __import_name__("sock_connect")));

static int connect_to(const char* host, int port, int32_t* fd) {
    return exo_sock_connect(host, (int32_t)strlen(host), port, fd);
}

int main(int argc, char** argv) {
    int port = argc > 1 ? atoi(argv[1]) : 47357;
    const char* message = argc > 2 ? argv[2] : "hello from a capsule";

    // Not granted: any other port. The call fails before the host connects anywhere.
    int32_t other = -1;
    int e = connect_to("127.0.0.1", port + 1, &other);
    printf("connect 127.0.0.1:%d: %s\n", port + 1, e == EACCES ? "denied (not in the manifest)" : strerror(e));

    int32_t fd = -1;
    e = connect_to("127.0.0.1", port, &fd);
    if (e != 0) {
        printf("connect 127.0.0.1:%d: %s\n", port, strerror(e));
        return 1;
    }
    printf("connect 127.0.0.1:%d: ok\n", port);
    char line[256];
    int len = snprintf(line, sizeof line, "%s\n", message);
    if (send(fd, line, (size_t)len, 0) != len) {
        printf("send: %s\n", strerror(errno));
        return 1;
    }
    char reply[256];
    size_t got = 0;
    while (got < sizeof reply - 1) {
        ssize_t n = recv(fd, reply + got, sizeof reply - 1 - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
        if (memchr(reply, '\n', got)) break;
    }
    reply[got] = 0;
    printf("reply: %s", got ? reply : "(none)\n");
    close(fd);
    return got ? 0 : 1;
}
