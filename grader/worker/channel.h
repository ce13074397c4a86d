/*
 * channel.h - the wire format between the grader (trusted) and a worker (the
 * sandboxed process that runs a student's lab code). Both sides include it;
 * it declares data only.
 *
 * Two things connect them:
 *  - the arena: one shared memory region (a memfd, mapped by both). It starts
 *    with a ChHeader describing the current call; the arguments' data follow.
 *    Everything in it is addressed by offset from the arena's start, since the
 *    two processes map it at different addresses.
 *  - the socket: a SOCK_SEQPACKET pair carrying fixed-size ChMsg records that
 *    say "call now", "done", "not written yet", "call this callback for me".
 *
 * The worker is hostile: the grader reads every field it wrote once, into a
 * local, checks it against the arena's bounds and what was sent, and never
 * takes a verdict from it. The worker can only hand back data.
 */
#ifndef GRADLAB_CHANNEL_H
#define GRADLAB_CHANNEL_H

#include <stdint.h>

/* File descriptors the worker is started with. (A zygote, gradlab-worker --zygote,
 * has its control socket on CH_FD_SOCKET.) */
enum { CH_FD_SOCKET = 3, CH_FD_ARENA = 4, CH_FD_SELF = 5 };

enum { CH_MAGIC = 0x67726c62 };   /* "grlb" */

/* Asking a lab's zygote (worker/zygote.c) for a fresh worker: a ChSpawn on its control
 * socket with CH_SPAWN_FDS descriptors in this order (SCM_RIGHTS); it answers with a
 * ChSpawnReply carrying the same nonce. The zygote writes the worker's wait status
 * (an int) to the status pipe when it ends, and kills the worker when the test closes
 * that pipe's other end. */
enum { CH_SPAWN_SOCKET, CH_SPAWN_ARENA, CH_SPAWN_OUTPUT, CH_SPAWN_STATUS, CH_SPAWN_FDS };
typedef struct {
    uint32_t magic;
    uint32_t pad;
    uint64_t nonce;
    int64_t arena;     /* --arena-size, --mem, --cpu of a worker started from its program */
    int64_t mem_mb;
    int64_t cpu;
} ChSpawn;
typedef struct {
    uint32_t magic;
    int32_t pid;
    uint64_t nonce;
} ChSpawnReply;
enum { CH_MAX_ARGS = 12 };

typedef enum {
    CH_ARG_NULL = 0,   /* a NULL pointer */
    CH_ARG_INT,        /* u.i */
    CH_ARG_DOUBLE,     /* u.d */
    CH_ARG_MAT,        /* u.m[0]: a Mat whose data lives in the arena */
    CH_ARG_BUF,        /* u.buf: raw bytes in the arena (int/double arrays, Rng, SgdConfig) */
    CH_ARG_NET,        /* u.m[0..3]: W1, b1, W2, b2 of a TwoLayerNet */
    CH_ARG_SCALARFN,   /* a lab 03 ScalarFn: runs in the grader, reached through the socket */
    CH_ARG_LOSSFN,     /* a lab 04 LossFn: likewise */
    CH_ARG_CTX,        /* u.token: the ScalarFn's ctx, an opaque value the worker passes back */
} ChArgKind;

typedef struct {
    int32_t rows, cols;
    uint64_t off;      /* data at arena + off; rows * cols doubles */
} ChMat;

typedef struct {
    int32_t kind;      /* ChArgKind */
    int32_t pad;
    union {
        int64_t i;
        double d;
        uint64_t token;
        ChMat m[4];
        struct { uint64_t off, bytes; } buf;
    } u;
} ChArg;

/* A callback's arguments, written by the worker into [cb_off, cb_end). */
typedef struct {
    ChMat x;           /* ScalarFn: x.  LossFn: W */
    ChMat X;           /* LossFn: X */
    uint64_t y_off;    /* LossFn: X.rows ints */
    ChMat dW;          /* LossFn: dW (rows = cols = -1 for NULL) */
    double reg;        /* LossFn: reg */
    uint64_t token;    /* ScalarFn: the ctx it was called with */
} ChCallback;

/* What the worker's crash handler leaves behind before the process dies. */
enum { CH_CRASH_FRAMES = 24 };
typedef struct {
    uint32_t magic;    /* CH_MAGIC when filled in */
    int32_t sig;       /* the signal */
    int32_t syscall_nr;/* SIGSYS from the filter: the system call's number, else -1 */
    int32_t nframes;
    uint64_t frames[CH_CRASH_FRAMES];   /* return addresses, innermost first */
} ChCrash;

typedef struct {
    uint32_t magic;
    int32_t fn;                 /* the function's id in the API table */
    int32_t nargs;
    int32_t pad;
    ChArg args[CH_MAX_ARGS];    /* the grader writes them; after the call the worker
                                   writes each Mat's header back, as the code left it */
    uint64_t cb_off, cb_end;    /* where the worker may write a callback's arguments */
    int64_t gemm_calls;         /* after the call: its mat_gemm products, as the worker */
    double gemm_largest;        /* counted them, and the largest one's m * n * k */
    ChCallback cb;
    ChCrash crash;
} ChHeader;

typedef enum {
    CH_MSG_READY = 1,   /* worker -> grader: confined, waiting for calls */
    CH_MSG_CALL,        /* grader -> worker: run the call in the header */
    CH_MSG_DONE,        /* worker -> grader: it returned; value = its return value */
    CH_MSG_TODO,        /* worker -> grader: LAB_TODO() reached (func, file, line) */
    CH_MSG_MISSING,     /* worker -> grader: the lab file does not define the function */
    CH_MSG_CALLBACK,    /* worker -> grader: run the call's callback on header.cb */
    CH_MSG_RETURN,      /* grader -> worker: the callback's value (and dW in the arena) */
} ChMsgType;

typedef struct {
    int32_t type;       /* ChMsgType */
    int32_t line;
    double value;
    char func[64];
    char file[120];
} ChMsg;

#endif
