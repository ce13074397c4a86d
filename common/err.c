/* err.c - the per-thread "last error" line behind err_set / err_last. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char err_buf[1024];

void err_set(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_buf, sizeof err_buf, fmt, ap);
    va_end(ap);
}

const char *err_last(void)
{
    return err_buf;
}
