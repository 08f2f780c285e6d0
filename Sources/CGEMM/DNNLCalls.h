// What the C files around oneDNN share (not part of the module's interface).
#ifndef NEUROSSIA_DNNL_CALLS_H
#define NEUROSSIA_DNNL_CALLS_H
#include <oneapi/dnnl/dnnl.h>

/// oneDNN runs on OpenMP; a thread that has not asked for one thread would open a team of all cores
/// inside each of Engine's per-core calls, four threads on two cores. Call before any oneDNN work.
void neurossia_dnnl_single_threaded(void);

/// Aborts with `what` when a oneDNN call failed: every call here has arguments checked beforehand.
void neurossia_dnnl_check(dnnl_status_t status, const char *what);

#endif
