#ifndef NEUROSSIA_CGEMM_H
#define NEUROSSIA_CGEMM_H

#include <stdint.h>
#include "BlockedLayout.h"
#include "CConvolution.h"

/// 1 when the CPU and OS run AVX-512 BF16 (vcvtne2ps2bf16, vdpbf16ps), else 0.
int neurossia_cpu_has_avx512_bf16(void);

/// dst[i] = src[i] rounded to bfloat16, nearest even (NaN stays NaN), for i < count.
void neurossia_to_bf16(const float *src, uint16_t *dst, long count);

/// The same conversion one element at a time: the reference the vector path is tested against.
uint16_t neurossia_to_bf16_scalar(float value);

/// Row-major C[M, N] = alpha · op(A) · op(B) + beta · C with oneDNN's fp32 GEMM on the calling thread.
void neurossia_dnnl_sgemm(int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda,
                          const float *b, long ldb, float beta, float *c, long ldc);

/// The same product with A and B rounded to bfloat16 and products summed in fp32 (oneDNN's
/// gemm_bf16bf16f32). `a16`/`b16`, when not NULL, are bf16 copies laid out exactly as `a`/`b`
/// (same leading dimension) that the caller made once; otherwise the operand is converted here into
/// a per-thread scratch buffer.
void neurossia_dnnl_gemm_bf16(int transA, int transB, long m, long n, long k, float alpha,
                              const float *a, const uint16_t *a16, long lda,
                              const float *b, const uint16_t *b16, long ldb,
                              float beta, float *c, long ldc);

#endif
