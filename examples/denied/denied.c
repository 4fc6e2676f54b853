// Tries something it was not granted (reading /etc/passwd: no fs.read at all), gets EACCES
// (errno "Permission denied"), handles it, and says so. What it was granted (writing under
// /scratch) works. Note /etc/passwd would only be the capsule's own /etc/passwd anyway: its
// filesystem is a private root, the gate stops the call before that even matters.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int main(void) {
    FILE* f = fopen("/etc/passwd", "r");
    if (f) {
        printf("read /etc/passwd: should have been denied!\n");
        return 1;
    }
    int why = errno;  // saved: printf may change errno
    printf("reading /etc/passwd was refused: %s%s\n", strerror(why),
           why == EACCES ? " (as expected: no fs.read permission)" : " (unexpected error)");
    if (why != EACCES) return 1;

    if (mkdir("/scratch", 0755) != 0 && errno != EEXIST) {
        printf("mkdir /scratch: %s\n", strerror(errno));
        return 1;
    }
    FILE* note = fopen("/scratch/note.txt", "w");
    if (!note) {
        printf("writing /scratch/note.txt: %s\n", strerror(errno));
        return 1;
    }
    fputs("granted\n", note);
    fclose(note);
    printf("writing /scratch/note.txt: ok (granted by fs.write:/scratch)\n");
    return 0;
}
