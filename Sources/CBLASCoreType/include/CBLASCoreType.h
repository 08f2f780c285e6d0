#ifndef NEUROSSIA_CBLAS_CORETYPE_H
#define NEUROSSIA_CBLAS_CORETYPE_H

/// The kernel family OpenBLAS runs on ("Haswell", "SkylakeX", ...).
const char *neurossia_openblas_core(void);

/// The core OpenBLAS picked by itself before Neurossia corrected it, or NULL when it was left alone.
const char *neurossia_openblas_misdetected(void);

/// Whether OpenBLAS runs kernels narrower than the CPU offers: 1 only where OPENBLAS_CORETYPE came from
/// the environment (Neurossia never overrides a user's choice), since a misdetection is corrected.
int neurossia_openblas_core_is_narrower(void);

/// The widest vector ISA this CPU and OS support: "avx512", "avx2", "avx" or "sse".
const char *neurossia_cpu_isa(void);

#endif
