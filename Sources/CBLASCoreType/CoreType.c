// Debian's OpenBLAS 0.3.21 picks its kernels by CPU model when it loads, and on CPUs newer than it knows
// (a Xeon of family 6, model 207, seen here) it falls back to generic "Prescott" kernels at a fifth of
// the speed. This constructor runs after the library chose, compares the choice with what the CPU can
// do, and if the choice is weaker re-executes the program with OPENBLAS_CORETYPE set. A value already
// in the environment is never overridden, so it also stops the re-exec from looping.
#define _GNU_SOURCE
#include "CBLASCoreType.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

extern char *openblas_get_corename(void);

enum isa { ISA_SSE, ISA_AVX, ISA_AVX2, ISA_AVX512 };

static enum isa cpu_level(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        return ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ISA_AVX2;
    if (__builtin_cpu_supports("avx")) return ISA_AVX;
    return ISA_SSE;
}

static int named(const char *core, const char *const *names) {
    for (; *names; names++)
        if (strcasecmp(core, *names) == 0) return 1;
    return 0;
}

static enum isa core_level(const char *core) {
    static const char *const avx512[] = {"SkylakeX", "Cooperlake", "SapphireRapids", NULL};
    static const char *const avx2[] = {"Haswell", "Zen", NULL};
    static const char *const avx[] = {"Sandybridge", "Bulldozer", "Piledriver", "Steamroller", "Excavator", NULL};
    if (named(core, avx512)) return ISA_AVX512;
    if (named(core, avx2)) return ISA_AVX2;
    if (named(core, avx)) return ISA_AVX;
    return ISA_SSE;
}

static const char *best_core(enum isa level) {
    switch (level) {
    case ISA_AVX512: return "SkylakeX";
    case ISA_AVX2: return __builtin_cpu_is("amd") ? "Zen" : "Haswell";
    case ISA_AVX: return "Sandybridge";
    default: return NULL;
    }
}

extern void openblas_set_num_threads(int);

static void fix_core(char **argv);

// Neurossia splits every large GEMM over the cores itself (per-core column tiles), so each call into
// OpenBLAS runs single-threaded and its idle threads never spin against ours.
__attribute__((constructor)) static void neurossia_prepare_openblas(int argc, char **argv, char **envp) {
    (void)argc; (void)envp;
    fix_core(argv);
    openblas_set_num_threads(1);
}

static void fix_core(char **argv) {
    if (getenv("OPENBLAS_CORETYPE") || !argv) return;
    // NEUROSSIA_ASSUME_OPENBLAS_CORE lets a test walk the correction path on a machine OpenBLAS knows.
    const char *assumed = getenv("NEUROSSIA_ASSUME_OPENBLAS_CORE");
    const char *core = assumed ? assumed : openblas_get_corename();
    enum isa have = cpu_level();
    const char *better = best_core(have);
    if (!core || !better || core_level(core) >= have) return;
    setenv("NEUROSSIA_OPENBLAS_MISDETECTED", core, 1);
    setenv("OPENBLAS_CORETYPE", better, 1);
    execv("/proc/self/exe", argv);
    fprintf(stderr, "warning: OpenBLAS runs generic '%s' kernels on this %s CPU; "
                    "set OPENBLAS_CORETYPE=%s for full speed\n", core, neurossia_cpu_isa(), better);
}

const char *neurossia_openblas_core(void) { return openblas_get_corename(); }

const char *neurossia_openblas_misdetected(void) { return getenv("NEUROSSIA_OPENBLAS_MISDETECTED"); }

int neurossia_openblas_core_is_narrower(void) { return core_level(openblas_get_corename()) < cpu_level(); }

const char *neurossia_cpu_isa(void) {
    static const char *const names[] = {"sse", "avx", "avx2", "avx512"};
    return names[cpu_level()];
}
