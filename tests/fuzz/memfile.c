/* memfile.c - see memfile.h. memfd_create keeps the fuzzer off the disk
 * (the Makefile compiles fuzz targets with -D_GNU_SOURCE, which it needs). */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memfile.h"

int memfile_open(const uint8_t *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create("fuzz-input", 0);
    if (fd < 0) return -1;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return -1;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}
