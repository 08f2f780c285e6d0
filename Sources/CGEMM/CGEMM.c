// The C side of Engine's GEMM: oneDNN calls made single-threaded on the calling thread (Engine splits
// work over cores itself, as it does for OpenBLAS), and fp32 → bfloat16 rounding with AVX-512 BF16.
#include "CGEMM.h"
#include "DNNLCalls.h"
#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif
#include <oneapi/dnnl/dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libgomp's, which libdnnl loads; declared here because Swift's clang does not see GCC's omp.h.
extern void omp_set_num_threads(int);

// Exported by libdnnl 2.6 but missing from its public header; row-major like dnnl_sgemm.
dnnl_status_t dnnl_gemm_bf16bf16f32(char transa, char transb, dnnl_dim_t M, dnnl_dim_t N, dnnl_dim_t K,
                                    float alpha, const uint16_t *A, dnnl_dim_t lda, const uint16_t *B,
                                    dnnl_dim_t ldb, float beta, float *C, dnnl_dim_t ldc);

// Rounds like vcvtne2ps2bf16: nearest even, NaN kept quiet, denormal inputs flushed to signed zero.
uint16_t neurossia_to_bf16_scalar(float value) {
    uint32_t bits;
    memcpy(&bits, &value, 4);
    if ((bits & 0x7f800000u) == 0) return (uint16_t)((bits >> 16) & 0x8000u);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40u);
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

#if defined(__x86_64__)
int neurossia_cpu_has_avx512_bf16(void) {
    unsigned eax, ebx, ecx, edx;
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw")) return 0;
    if (!__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) return 0;
    return (eax >> 5) & 1; // CPUID.(EAX=7, ECX=1):EAX bit 5 is AVX512_BF16.
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
static void to_bf16_avx512(const float *src, uint16_t *dst, long count) {
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        __m512bh pair = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(src + i + 16), _mm512_loadu_ps(src + i));
        _mm512_storeu_si512((void *)(dst + i), (__m512i)pair);
    }
    for (; i < count; i += 16) {
        long left = count - i;
        __mmask16 mask = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
        __m256bh half = _mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(mask, src + i));
        _mm256_mask_storeu_epi16((void *)(dst + i), mask, (__m256i)half);
    }
}
#else
int neurossia_cpu_has_avx512_bf16(void) { return 0; }
static void to_bf16_avx512(const float *src, uint16_t *dst, long count) { (void)src, (void)dst, (void)count; }
#endif

void neurossia_to_bf16(const float *src, uint16_t *dst, long count) {
    static int vector = -1; // -1 until the first call asks the CPU; every caller computes the same answer.
    int known = __atomic_load_n(&vector, __ATOMIC_RELAXED);
    if (known < 0) __atomic_store_n(&vector, known = neurossia_cpu_has_avx512_bf16(), __ATOMIC_RELAXED);
    if (known) return to_bf16_avx512(src, dst, count);
    for (long i = 0; i < count; i++) dst[i] = neurossia_to_bf16_scalar(src[i]);
}

void neurossia_dnnl_single_threaded(void) {
    static __thread int done;
    if (!done) {
        omp_set_num_threads(1);
        done = 1;
    }
}

void neurossia_dnnl_check(dnnl_status_t status, const char *what) {
    if (status == dnnl_success) return;
    fprintf(stderr, "neurossia: oneDNN %s failed with status %d\n", what, (int)status);
    abort();
}

void neurossia_dnnl_sgemm(int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda,
                          const float *b, long ldb, float beta, float *c, long ldc) {
    neurossia_dnnl_single_threaded();
    neurossia_dnnl_check(dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc), "sgemm");
}

/// Per-thread room for converted operands; it grows to the largest call and is then reused.
static __thread uint16_t *scratch;
static __thread size_t scratch_count;

static uint16_t *scratch_for(size_t count) {
    if (count > scratch_count) {
        free(scratch);
        size_t bytes = (count * 2 + 63) & ~(size_t)63;
        scratch = aligned_alloc(64, bytes);
        if (!scratch) {
            fprintf(stderr, "neurossia: out of memory for a %zu-byte bf16 scratch\n", bytes);
            abort();
        }
        scratch_count = count;
    }
    return scratch;
}

/// Converts a rows × cols block with leading dimension ld into dst packed (leading dimension cols).
static void pack_block(const float *src, long rows, long cols, long ld, uint16_t *dst) {
    if (ld == cols) return neurossia_to_bf16(src, dst, rows * cols);
    for (long r = 0; r < rows; r++) neurossia_to_bf16(src + r * ld, dst + r * cols, cols);
}

void neurossia_dnnl_gemm_bf16(int transA, int transB, long m, long n, long k, float alpha,
                              const float *a, const uint16_t *a16, long lda,
                              const float *b, const uint16_t *b16, long ldb,
                              float beta, float *c, long ldc) {
    neurossia_dnnl_single_threaded();
    long aRows = transA ? k : m, aCols = transA ? m : k;
    long bRows = transB ? n : k, bCols = transB ? k : n;
    long aCount = a16 ? 0 : aRows * aCols, bCount = b16 ? 0 : bRows * bCols;
    uint16_t *room = aCount + bCount ? scratch_for((size_t)(aCount + bCount)) : NULL;
    if (!a16) {
        pack_block(a, aRows, aCols, lda, room);
        a16 = room;
        lda = aCols;
    }
    if (!b16) {
        pack_block(b, bRows, bCols, ldb, room + aCount);
        b16 = room + aCount;
        ldb = bCols;
    }
    neurossia_dnnl_check(dnnl_gemm_bf16bf16f32(transA ? 'T' : 'N', transB ? 'T' : 'N', m, n, k, alpha, a16, lda, b16, ldb, beta, c, ldc),
                         "gemm_bf16bf16f32");
}
