/*
 * idx.c - reading and writing unsigned-byte IDX files, raw or gzip-compressed.
 *
 * The reader trusts nothing in the file: the header is checked before anything
 * is allocated, the data must be exactly as long as the header says (no short
 * read, no trailing bytes), and a damaged gzip stream is reported as such.
 * Every failure names the file and the problem through err_set().
 */
#include "idx.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "err.h"

#define IDX_TYPE_UBYTE 0x08
/* Anything larger cannot be a real data set here, and keeping the byte count
 * within an int keeps N*rows*cols valid as a Mat size and a gzread length. */
#define IDX_MAX_BYTES ((uint64_t)INT_MAX)
/* Big reads keep zlib in its fast path: the 47 MB training images take a few
 * calls instead of thousands. */
#define IDX_CHUNK ((size_t)64 << 20)
/* The first buffer for the data; it doubles while the file keeps delivering. */
#define IDX_FIRST_READ ((size_t)1 << 20)

/* ---- a reader over either a plain FILE or a gzip stream ---- */

typedef struct {
    const char *path;
    FILE *fp;      /* raw file, or NULL */
    gzFile gz;     /* gzip file, or NULL */
} IdxReader;

static int idx_is_gzip(const unsigned char *b, size_t n)
{
    return n >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

/* Opens path, sniffing the first two bytes to choose raw or gzip. */
static int idx_open(IdxReader *r, const char *path)
{
    r->path = path;
    r->fp = NULL;
    r->gz = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    unsigned char sig[2];
    size_t got = fread(sig, 1, sizeof sig, fp);
    if (!idx_is_gzip(sig, got)) {
        rewind(fp);
        r->fp = fp;
        return 0;
    }
    fclose(fp);
    r->gz = gzopen(path, "rb");
    if (!r->gz) {
        err_set("%s: cannot open as gzip: %s", path, errno ? strerror(errno) : "out of memory");
        return -1;
    }
    gzbuffer(r->gz, 1 << 20);
    return 0;
}

/* Reads up to n bytes into buf. Returns the count read (less than n only at the
 * end of the data), or -1 after err_set() when the file or gzip stream is bad. */
static long long idx_read_bytes(IdxReader *r, void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < IDX_CHUNK ? n - done : IDX_CHUNK;
        if (r->fp) {
            size_t got = fread((char *)buf + done, 1, want, r->fp);
            done += got;
            if (got < want) {
                if (ferror(r->fp)) {
                    err_set("%s: read error: %s", r->path, strerror(errno));
                    return -1;
                }
                break;
            }
        } else {
            int got = gzread(r->gz, (char *)buf + done, (unsigned)want);
            int zerr;
            const char *zmsg = gzerror(r->gz, &zerr);
            /* Z_BUF_ERROR here means the compressed stream ended mid-way. */
            if (got < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
                /* zlib prefixes its message with the path; we name it once. */
                size_t plen = strlen(r->path);
                if (strncmp(zmsg, r->path, plen) == 0 && strncmp(zmsg + plen, ": ", 2) == 0)
                    zmsg += plen + 2;
                err_set("%s: corrupt gzip stream (%s)", r->path,
                        zerr == Z_ERRNO ? strerror(errno) : zmsg);
                return -1;
            }
            done += (size_t)got;
            if ((size_t)got < want) break;
        }
    }
    return (long long)done;
}

static int idx_close(IdxReader *r)
{
    int rc = 0;
    if (r->fp) fclose(r->fp);
    if (r->gz && gzclose_r(r->gz) != Z_OK) rc = -1;
    r->fp = NULL;
    r->gz = NULL;
    return rc;
}

static uint32_t idx_be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

/* ---- reading ---- */

/* Reads and checks the magic and the dimensions into a (data not yet read). */
static int idx_read_header(IdxReader *r, IdxArray *a)
{
    const char *path = r->path;
    unsigned char magic[4];
    long long got = idx_read_bytes(r, magic, 4);
    if (got < 0) return -1;
    if (got < 4) {
        err_set("%s: truncated: %lld bytes, too short for the 4-byte IDX magic", path, got);
        return -1;
    }
    if (magic[0] != 0 || magic[1] != 0) {
        err_set("%s: wrong magic %02x %02x %02x %02x: not an IDX file (it starts with 00 00)",
                path, magic[0], magic[1], magic[2], magic[3]);
        return -1;
    }
    if (magic[2] != IDX_TYPE_UBYTE) {
        err_set("%s: unsupported IDX data type 0x%02x (only unsigned bytes, 0x08, are read)",
                path, magic[2]);
        return -1;
    }
    if (magic[3] < 1 || magic[3] > 4) {
        err_set("%s: bad number of dimensions %d (expected 1 to 4)", path, magic[3]);
        return -1;
    }
    a->ndim = magic[3];
    unsigned char dims[16];
    size_t dbytes = 4 * (size_t)a->ndim;
    got = idx_read_bytes(r, dims, dbytes);
    if (got < 0) return -1;
    if ((size_t)got < dbytes) {
        err_set("%s: truncated header: %d dimensions need %zu bytes, only %lld present",
                path, a->ndim, dbytes, got);
        return -1;
    }
    uint64_t total = 1;
    for (int i = 0; i < a->ndim; i++) {
        uint32_t d = idx_be32(dims + 4 * i);
        if (d == 0) {
            err_set("%s: dimension %d is 0 (an empty array)", path, i);
            return -1;
        }
        /* Multiplying dimensions each <= INT_MAX into a product kept <= INT_MAX
         * cannot overflow 64 bits, so checking after each step is enough. */
        if (d > INT_MAX || (total *= d) > IDX_MAX_BYTES) {
            err_set("%s: absurd size: dimensions multiply to more than %llu bytes", path,
                    (unsigned long long)IDX_MAX_BYTES);
            return -1;
        }
        a->dims[i] = (int)d;
    }
    a->size = (size_t)total;
    return 0;
}

/* Reads the data into a->data, growing the buffer with the bytes actually
 * present: a 20-byte file whose header promises 600 MB costs a small buffer and
 * a quick "truncated" answer, not a 600 MB allocation. Returns the number of
 * bytes read (less than a->size when the file is short), or -1 after err_set(). */
static long long idx_read_data(IdxReader *r, IdxArray *a)
{
    size_t cap = a->size < IDX_FIRST_READ ? a->size : IDX_FIRST_READ, have = 0;
    for (;;) {
        unsigned char *grown = realloc(a->data, cap);
        if (!grown) {
            err_set("%s: out of memory for %zu bytes of data", r->path, cap);
            return -1;
        }
        a->data = grown;
        long long got = idx_read_bytes(r, a->data + have, cap - have);
        if (got < 0) return -1;
        have += (size_t)got;
        if (have < cap || cap == a->size) return (long long)have;
        cap = cap > a->size / 2 ? a->size : 2 * cap;
    }
}

IdxArray *idx_read(const char *path)
{
    IdxReader r;
    if (idx_open(&r, path) != 0) return NULL;
    IdxArray *a = calloc(1, sizeof *a);
    if (!a) {
        idx_close(&r);
        err_set("%s: out of memory", path);
        return NULL;
    }
    if (idx_read_header(&r, a) != 0) goto fail;
    long long got = idx_read_data(&r, a);
    if (got < 0) goto fail;
    if ((size_t)got < a->size) {
        err_set("%s: truncated: the header promises %zu data bytes, the file holds %lld",
                path, a->size, got);
        goto fail;
    }
    /* One more byte must not exist; reading it also makes zlib check the
     * stream's CRC and length trailer. */
    unsigned char extra;
    got = idx_read_bytes(&r, &extra, 1);
    if (got < 0) goto fail;
    if (got > 0) {
        err_set("%s: trailing bytes after the %zu data bytes the header describes", path,
                a->size);
        goto fail;
    }
    if (idx_close(&r) != 0) {
        err_set("%s: corrupt gzip stream (error on close)", path);
        idx_free(a);
        return NULL;
    }
    return a;

fail:
    idx_close(&r);
    idx_free(a);
    return NULL;
}

void idx_free(IdxArray *a)
{
    if (!a) return;
    free(a->data);
    free(a);
}

/* ---- writing ---- */

/* Checks that a describes a well-formed array before anything is written. */
static int idx_check_array(const char *path, const IdxArray *a)
{
    if (!a || !a->data) {
        err_set("%s: nothing to write (NULL array or data)", path);
        return -1;
    }
    if (a->ndim < 1 || a->ndim > 4) {
        err_set("%s: cannot write %d dimensions (1 to 4)", path, a->ndim);
        return -1;
    }
    uint64_t total = 1;
    for (int i = 0; i < a->ndim; i++) {
        if (a->dims[i] <= 0) {
            err_set("%s: cannot write dimension %d of size %d", path, i, a->dims[i]);
            return -1;
        }
        total *= (uint64_t)a->dims[i];
        if (total > IDX_MAX_BYTES) {
            err_set("%s: cannot write more than %llu bytes", path,
                    (unsigned long long)IDX_MAX_BYTES);
            return -1;
        }
    }
    if (total != a->size) {
        err_set("%s: size %zu does not match the dimensions (%llu bytes)", path, a->size,
                (unsigned long long)total);
        return -1;
    }
    return 0;
}

int idx_write(const char *path, const IdxArray *a, int gz)
{
    if (idx_check_array(path, a) != 0) return -1;
    unsigned char header[20] = { 0, 0, IDX_TYPE_UBYTE, (unsigned char)a->ndim };
    for (int i = 0; i < a->ndim; i++) {
        uint32_t d = (uint32_t)a->dims[i];
        unsigned char *p = header + 4 + 4 * i;
        p[0] = (unsigned char)(d >> 24);
        p[1] = (unsigned char)(d >> 16);
        p[2] = (unsigned char)(d >> 8);
        p[3] = (unsigned char)d;
    }
    size_t hbytes = 4 + 4 * (size_t)a->ndim;
    int ok;
    if (gz) {
        gzFile f = gzopen(path, "wb9");
        if (!f) {
            err_set("%s: cannot create: %s", path, errno ? strerror(errno) : "out of memory");
            return -1;
        }
        ok = gzwrite(f, header, (unsigned)hbytes) == (int)hbytes;
        for (size_t off = 0; ok && off < a->size; off += IDX_CHUNK) {
            size_t n = a->size - off < IDX_CHUNK ? a->size - off : IDX_CHUNK;
            ok = gzwrite(f, a->data + off, (unsigned)n) == (int)n;
        }
        if (gzclose_w(f) != Z_OK) ok = 0;
    } else {
        FILE *f = fopen(path, "wb");
        if (!f) {
            err_set("%s: cannot create: %s", path, strerror(errno));
            return -1;
        }
        ok = fwrite(header, 1, hbytes, f) == hbytes && fwrite(a->data, 1, a->size, f) == a->size;
        if (fclose(f) != 0) ok = 0;
    }
    if (!ok) {
        err_set("%s: write failed: %s", path, errno ? strerror(errno) : "unknown error");
        remove(path);   /* a half-written file would later read as truncated */
        return -1;
    }
    return 0;
}

/* ---- typed loaders ---- */

/* The full training images are 376 MB of doubles, and on a VM touching that
 * much fresh memory page by page costs about a second, more than the reading
 * itself. mat_new's calloc leaves a block this large untouched, so asking for
 * transparent huge pages before filling it cuts the page faults 512-fold.
 * Purely a speed hint: when the kernel says no, nothing changes. */
static void idx_hint_huge_pages(Mat *X)
{
#ifdef MADV_HUGEPAGE
    size_t bytes = (size_t)X->rows * X->cols * sizeof(double);
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || bytes < ((size_t)4 << 20)) return;
    uintptr_t start = ((uintptr_t)X->data + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)X->data + bytes) & ~((uintptr_t)page - 1);
    if (end > start) madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)X;
#endif
}

Mat *idx_load_images(const char *path)
{
    IdxArray *a = idx_read(path);
    if (!a) return NULL;
    if (a->ndim != 3) {
        err_set("%s: an images file has 3 dimensions (N, rows, cols), this one has %d",
                path, a->ndim);
        idx_free(a);
        return NULL;
    }
    /* A 256-entry table turns the conversion into one load per pixel. */
    double scale[256];
    for (int v = 0; v < 256; v++) scale[v] = v / 255.0;
    Mat *X = mat_new(a->dims[0], a->dims[1] * a->dims[2]);
    idx_hint_huge_pages(X);
    for (size_t i = 0; i < a->size; i++) X->data[i] = scale[a->data[i]];
    idx_free(a);
    return X;
}

int *idx_load_labels(const char *path, int *n)
{
    IdxArray *a = idx_read(path);
    if (!a) return NULL;
    if (a->ndim != 1) {
        err_set("%s: a labels file has 1 dimension, this one has %d", path, a->ndim);
        idx_free(a);
        return NULL;
    }
    int *y = malloc(a->size * sizeof *y);
    if (!y) {
        err_set("%s: out of memory for %zu labels", path, a->size);
        idx_free(a);
        return NULL;
    }
    for (size_t i = 0; i < a->size; i++) y[i] = a->data[i];
    *n = (int)a->size;
    idx_free(a);
    return y;
}
