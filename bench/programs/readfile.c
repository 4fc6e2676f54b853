/* readfile: read a file sequentially in 4 KiB chunks through read(2) / WASI fd_read.
 * The per-chunk work is deliberately tiny (two words folded into a checksum), so the time is
 * the I/O path: the syscall natively, the host call + gate + copy under a runtime.
 * Usage: readfile PATH [chunk_bytes]   (default chunk 4096)
 * bench/run creates the file (64 MiB of a fixed pattern) and mounts it at /data. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char buf[1 << 20];

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: readfile PATH [chunk_bytes]\n");
        return 2;
    }
    size_t chunk = argc > 2 ? (size_t)atol(argv[2]) : 4096;
    if (chunk < 16 || chunk > sizeof buf) chunk = 4096;
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    uint64_t total = 0, sum = 0;
    for (;;) {
        ssize_t n = read(fd, buf, chunk);
        if (n < 0) {
            perror("read");
            return 1;
        }
        if (n == 0) break;
        uint64_t first, last;
        memcpy(&first, buf, 8);
        memcpy(&last, buf + (n >= 8 ? n - 8 : 0), 8);
        sum = (sum << 7 | sum >> 57) ^ first ^ last;
        total += (uint64_t)n;
    }
    close(fd);
    printf("read %llu bytes, checksum %016llx\n", (unsigned long long)total, (unsigned long long)sum);
    return 0;
}
