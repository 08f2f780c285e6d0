#ifndef NEUROSSIA_WIDEST_H
#define NEUROSSIA_WIDEST_H

// For CVectorMath's own files: loops written for the vectoriser are built once per x86 width and
// target_clones picks one at load time. Contraction into FMA is off for the file that includes this, so
// that every width rounds each element alike.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && defined(__clang__)
#if __has_feature(thread_sanitizer)
// ThreadSanitizer instruments target_clones' resolvers, which the loader runs before the sanitizer's
// runtime has started (a crash at load): under it, one width.
#define WIDEST
#elif defined(NEUROSSIA_WIDEST_AVX2)
// A build that stops at AVX2 on any CPU (ISA avx2 in `scripts/neurossia-for-isa.sh`): how the engine runs
// where there is no AVX-512, measured on a machine that has it.
#define WIDEST __attribute__((target_clones("avx2", "default")))
#else
#define WIDEST __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#else
#define WIDEST
#endif

#endif
