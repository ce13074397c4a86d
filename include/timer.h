/* timer.h - wall-clock time for experiments and benchmarks (monotonic clock). */
#ifndef GRADLAB_TIMER_H
#define GRADLAB_TIMER_H

/* Seconds since an arbitrary fixed point; only differences mean anything. */
double timer_now(void);

#endif
