#ifndef NEUROSSIA_WINOGRAD_H
#define NEUROSSIA_WINOGRAD_H

// Winograd's minimal filtering F(m×m, 2×2) (Lavin & Gray 2016) for m = 2 and m = 4, α = m + 1:
//   weights  U = G g Gᵀ       2×2 taps g → U [α, α]   (G [α, 2])
//   input    V = Bᵀ d B       d [α, α]   → V [α, α]   (Bᵀ [α, α])
//   output   Y = Aᵀ Z A       Z [α, α]   → Y [m, m]   (Aᵀ [m, α])
// so that Y is the 2×2 correlation of d with g when Z = U ⊙ V. F(4, 2) is Toom–Cook at 0, 1, −1, 1/2
// and ∞, its rows scaled so that Bᵀ holds small integers (the fractions sit in G, applied once per
// weight); F(2, 2) at 0, 1 and ∞. Each element of an operand is a vector of channels, contiguous:
// element (i, j) of d starts at base + i·rowStride + j·columnStride, and element ξ = i·α + j of U, V
// or Z at base + ξ·stride. Every transform works along whole vectors, so it vectorises at any width.

/// Bᵀ [α, α], G [α, 2], Aᵀ [m, α] of F(m, 2), row-major into the given arrays (for tests).
void neurossia_winograd_matrices(int m, float *bt, float *g, float *at);

/// V = Bᵀ d B for one tile: d [α, α] of `channels`-long vectors → V's α² vectors, `stride` apart.
void neurossia_winograd_input(int m, const float *d, long rowStride, long columnStride, long channels, float *v, long stride);

/// The same V with each element rounded to bfloat16 (nearest even, as AVX-512 BF16's conversion), for
/// products that read their inputs in bf16.
void neurossia_winograd_input_bf16(int m, const float *d, long rowStride, long columnStride, long channels,
                                   unsigned short *v, long stride);

/// The outputs of one tile of two phases (a, 0) and (a, 1), planar: Y_b = Aᵀ Z_b A for b = 0, 1, Z_b's α²
/// vectors `stride` apart, `channels` long, interleaved along rows as the layer's output is (pixel
/// 2j′ + b of row j), m rows of 2m pixels from `out`, `rowStride` apart, channel c at out + c·plane. Each
/// output is y + bias[c] (bias may be NULL), then when `gated`, times `slope` where below zero (ReLU,
/// leaky ReLU).
void neurossia_winograd_output_planar(int m, const float *z0, const float *z1, long stride, long channels, const float *bias,
                                      int gated, float slope, float *out, long plane, long rowStride);

/// The outputs of one tile of a single correlation: Y = Aᵀ Z A, Z's α² vectors `stride` apart, `channels`
/// long, m rows of m pixels from `out`, `rowStride` apart, channel c at out + c·plane; bias and gate as above.
void neurossia_winograd_output(int m, const float *z, long stride, long channels, const float *bias, int gated, float slope,
                               float *out, long plane, long rowStride);

/// U = G g Gᵀ over `count` channel pairs: the taps g[k][k′] at taps + k·rowStride + k′·columnStride →
/// U's α² runs of `count`, `stride` apart.
void neurossia_winograd_weights(int m, const float *taps, long rowStride, long columnStride, long count, float *u, long stride);

/// dst[c · dstStride + r] = src[r · srcStride + c] for r < rows, c < columns.
void neurossia_transpose(const float *src, long rows, long columns, long srcStride, float *dst, long dstStride);

#endif
