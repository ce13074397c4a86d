/* memfile.h - hands a fuzz input to a reader that takes a path. */
#ifndef GRADLAB_FUZZ_MEMFILE_H
#define GRADLAB_FUZZ_MEMFILE_H

#include <stddef.h>
#include <stdint.h>

/* Writes data into a new in-memory file and puts its /proc/self/fd path into
 * path (cap bytes). Returns the descriptor to close afterwards, or -1 when the
 * file could not be made (the input is then skipped). */
int memfile_open(const uint8_t *data, size_t size, char *path, size_t cap);

#endif
