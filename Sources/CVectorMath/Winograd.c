// Winograd's transforms along channel vectors (see Winograd.h). Each transform is written once for a
// block of W channels and instantiated with the matrices as constants, so that it unrolls, zero
// coefficients drop out and a block lives in registers. Contraction into FMA is off so that every
// width rounds alike.
#include "Winograd.h"
#include "Widest.h"
#include <stddef.h>

#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")

static const float BT4[5][5] = {
    {1, -2, -1, 2, 0}, {0, -1, 1, 2, 0}, {0, -1, 3, -2, 0}, {0, 1, 0, -1, 0}, {0, 1, -2, -1, 2},
};
static const float G4[5][2] = {{1, 0}, {0.5f, 0.5f}, {1.0f / 6, -1.0f / 6}, {8.0f / 3, 4.0f / 3}, {0, 0.5f}};
static const float AT4[4][5] = {{1, 1, 1, 1, 0}, {0, 1, -1, 0.5f, 0}, {0, 1, 1, 0.25f, 0}, {0, 1, -1, 0.125f, 1}};
static const float BT2[3][3] = {{1, -1, 0}, {0, 1, 0}, {0, -1, 1}};
static const float G2[3][2] = {{1, 0}, {1, 1}, {0, 1}};
static const float AT2[2][3] = {{1, 1, 0}, {0, 1, 1}};

/// Σ_k coefficient · term over k < n, where both expressions read the index as K; zero coefficients are
/// skipped and ±1 taken as signs (constants once inlined and unrolled; −0 + y is y exactly, so the sum
/// starts there).
#define SUM(n, coefficient, term)                                                                                      \
    ({                                                                                                                 \
        float sum_ = -0.0f;                                                                                            \
        UNROLL for (int k_ = 0; k_ < (n); k_++) {                                                                      \
            const float c_ = (coefficient);                                                                            \
            if (c_ == 1.0f) sum_ += (term);                                                                            \
            else if (c_ == -1.0f) sum_ -= (term);                                                                      \
            else if (c_ != 0.0f) sum_ += c_ * (term);                                                                  \
        }                                                                                                              \
        sum_;                                                                                                          \
    })
#define K k_

/// out[i][j] = Σ_k Σ_l L[i][k] · R[j][l] · in[k][l] on W lanes: rows first, then columns.
INLINE void sandwich(const int P, const int S, const float *L, const int Q, const int T, const float *R, const float *in,
                     long inRow, long inColumn, float *out, long outRow, long outColumn, const int W) {
    float mid[P][T][W];
    UNROLL for (int i = 0; i < P; i++)
        UNROLL for (int l = 0; l < T; l++)
            for (int c = 0; c < W; c++) mid[i][l][c] = SUM(S, L[i * S + K], in[K * inRow + l * inColumn + c]);
    UNROLL for (int i = 0; i < P; i++)
        UNROLL for (int j = 0; j < Q; j++)
            for (int c = 0; c < W; c++) out[i * outRow + j * outColumn + c] = SUM(T, R[j * T + K], mid[i][K][c]);
}

/// The sandwich over `channels` lanes, sixteen at a time and the rest one by one.
INLINE void sandwich_all(const int P, const int S, const float *L, const int Q, const int T, const float *R, const float *in,
                         long inRow, long inColumn, float *out, long outRow, long outColumn, long channels) {
    long c = 0;
    for (; c + 16 <= channels; c += 16) sandwich(P, S, L, Q, T, R, in + c, inRow, inColumn, out + c, outRow, outColumn, 16);
    for (; c < channels; c++) sandwich(P, S, L, Q, T, R, in + c, inRow, inColumn, out + c, outRow, outColumn, 1);
}

void neurossia_winograd_matrices(int m, float *bt, float *g, float *at) {
    const int a = m + 1;
    for (int i = 0; i < a; i++) {
        for (int j = 0; j < a; j++) bt[i * a + j] = m == 4 ? BT4[i][j] : BT2[i][j];
        for (int j = 0; j < 2; j++) g[i * 2 + j] = m == 4 ? G4[i][j] : G2[i][j];
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < a; j++) at[i * a + j] = m == 4 ? AT4[i][j] : AT2[i][j];
}

WIDEST void neurossia_winograd_input(int m, const float *d, long rowStride, long columnStride, long channels, float *v, long stride) {
    if (m == 4) sandwich_all(5, 5, &BT4[0][0], 5, 5, &BT4[0][0], d, rowStride, columnStride, v, 5 * stride, stride, channels);
    else sandwich_all(3, 3, &BT2[0][0], 3, 3, &BT2[0][0], d, rowStride, columnStride, v, 3 * stride, stride, channels);
}

/// value rounded to bfloat16 as vcvtneps2bf16 does: nearest even, NaN kept quiet, denormals to signed
/// zero; branch-free, so a loop of it vectorises.
INLINE unsigned short bf16(float value) {
    unsigned bits;
    __builtin_memcpy(&bits, &value, 4);
    const unsigned rounded = (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16;
    const unsigned kept = (bits & 0x7fffffffu) > 0x7f800000u ? (bits >> 16) | 0x40u : rounded;
    return (unsigned short)((bits & 0x7f800000u) == 0 ? (bits >> 16) & 0x8000u : kept);
}

/// V = Bᵀ d B for W channels, rounded to bf16 as it is stored.
INLINE void input_bf16(const int A, const float *B, const float *d, long rowStride, long columnStride, unsigned short *v,
                       long stride, const int W) {
    float out[A * A][W];
    sandwich(A, A, B, A, A, B, d, rowStride, columnStride, &out[0][0], A * W, W, W);
    UNROLL for (int x = 0; x < A * A; x++)
        for (int c = 0; c < W; c++) v[x * stride + c] = bf16(out[x][c]);
}

WIDEST void neurossia_winograd_input_bf16(int m, const float *d, long rowStride, long columnStride, long channels,
                                          unsigned short *v, long stride) {
    long c = 0;
    if (m == 4) {
        for (; c + 16 <= channels; c += 16) input_bf16(5, &BT4[0][0], d + c, rowStride, columnStride, v + c, stride, 16);
        for (; c < channels; c++) input_bf16(5, &BT4[0][0], d + c, rowStride, columnStride, v + c, stride, 1);
    } else {
        for (; c + 16 <= channels; c += 16) input_bf16(3, &BT2[0][0], d + c, rowStride, columnStride, v + c, stride, 16);
        for (; c < channels; c++) input_bf16(3, &BT2[0][0], d + c, rowStride, columnStride, v + c, stride, 1);
    }
}

WIDEST void neurossia_winograd_weights(int m, const float *taps, long rowStride, long columnStride, long count, float *u, long stride) {
    if (m == 4) sandwich_all(5, 2, &G4[0][0], 5, 2, &G4[0][0], taps, rowStride, columnStride, u, 5 * stride, stride, count);
    else sandwich_all(3, 2, &G2[0][0], 3, 2, &G2[0][0], taps, rowStride, columnStride, u, 3 * stride, stride, count);
}

typedef float v8 __attribute__((ext_vector_type(8)));

/// An 8×8 block by three rounds of shuffles (pairs, then pairs of pairs, then halves), the way
/// unpack/shuffle/permute transposes go on AVX; vector extensions keep it to one source for every width.
INLINE void transpose8x8(const float *src, long srcStride, float *dst, long dstStride) {
    v8 r[8], t[8], s[8];
    for (int i = 0; i < 8; i++) __builtin_memcpy(&r[i], src + i * srcStride, sizeof(v8));
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4)
        for (int j = 0; j < 2; j++) {
            s[i + 2 * j] = __builtin_shufflevector(t[i + j], t[i + j + 2], 0, 1, 8, 9, 4, 5, 12, 13);
            s[i + 2 * j + 1] = __builtin_shufflevector(t[i + j], t[i + j + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        }
    for (int j = 0; j < 4; j++) {
        const v8 low = __builtin_shufflevector(s[j], s[j + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        const v8 high = __builtin_shufflevector(s[j], s[j + 4], 4, 5, 6, 7, 12, 13, 14, 15);
        __builtin_memcpy(dst + j * dstStride, &low, sizeof(v8));
        __builtin_memcpy(dst + (j + 4) * dstStride, &high, sizeof(v8));
    }
}

WIDEST void neurossia_transpose(const float *src, long rows, long columns, long srcStride, float *dst, long dstStride) {
    const long rows8 = rows & ~7L, columns8 = columns & ~7L;
    for (long r = 0; r < rows8; r += 8)
        for (long c = 0; c < columns8; c += 8) transpose8x8(src + r * srcStride + c, srcStride, dst + c * dstStride + r, dstStride);
    for (long c = columns8; c < columns; c++)
        for (long r = 0; r < rows; r++) dst[c * dstStride + r] = src[r * srcStride + c];
    for (long c = 0; c < columns8; c++)
        for (long r = rows8; r < rows; r++) dst[c * dstStride + r] = src[r * srcStride + c];
}

/// v + bias, then scaled by `slope` where below zero when `gated`.
INLINE float finished(float v, float bias, int gated, float slope) {
    const float u = v + bias;
    return gated && u < 0.0f ? u * slope : u;
}

/// F(4×4, 2×2)'s outputs of both phases for W channels (8 or 16): the 4×4 outputs of each, then each
/// row's 8 pixels × W channels turned into W channel runs of 8 pixels, eight channels per transpose.
INLINE void output_block(const int W, const float *z0, const float *z1, long stride, const float *bias, int gated, float slope,
                         float *out, long plane, long rowStride) {
    float y[2][4][4][W], row[8][W], shift[W];
    for (int l = 0; l < W; l++) shift[l] = bias ? bias[l] : 0.0f;
    sandwich(4, 5, &AT4[0][0], 4, 5, &AT4[0][0], z0, 5 * stride, stride, &y[0][0][0][0], 4 * W, W, W);
    sandwich(4, 5, &AT4[0][0], 4, 5, &AT4[0][0], z1, 5 * stride, stride, &y[1][0][0][0], 4 * W, W, W);
    for (int j = 0; j < 4; j++) {
        for (int q = 0; q < 8; q++)
            for (int l = 0; l < W; l++) row[q][l] = finished(y[q & 1][j][q >> 1][l], shift[l], gated, slope);
        for (int h = 0; h < W; h += 8) transpose8x8(&row[0][h], W, out + h * plane + j * rowStride, plane);
    }
}

WIDEST void neurossia_winograd_output_planar(int m, const float *z0, const float *z1, long stride, long channels, const float *bias,
                                             int gated, float slope, float *out, long plane, long rowStride) {
    long c = 0;
    if (m == 4) {
        // Sixteen channels at a time, then eight; the rest below.
        for (; c + 16 <= channels; c += 16)
            output_block(16, z0 + c, z1 + c, stride, bias ? bias + c : NULL, gated, slope, out + c * plane, plane, rowStride);
        for (; c + 8 <= channels; c += 8)
            output_block(8, z0 + c, z1 + c, stride, bias ? bias + c : NULL, gated, slope, out + c * plane, plane, rowStride);
    }
    // The rest one channel at a time (and every channel of F(2×2, 2×2)).
    for (; c < channels; c++) {
        float y[2][4][4];
        for (int b = 0; b < 2; b++) {
            const float *z = b ? z1 : z0;
            if (m == 4) sandwich(4, 5, &AT4[0][0], 4, 5, &AT4[0][0], z + c, 5 * stride, stride, &y[b][0][0], 4, 1, 1);
            else sandwich(2, 3, &AT2[0][0], 2, 3, &AT2[0][0], z + c, 3 * stride, stride, &y[b][0][0], 4, 1, 1);
        }
        const float shift = bias ? bias[c] : 0.0f;
        for (int j = 0; j < m; j++)
            for (int q = 0; q < 2 * m; q++) out[c * plane + j * rowStride + q] = finished(y[q & 1][j][q >> 1], shift, gated, slope);
    }
}

/// F(4×4, 2×2)'s outputs of one tile for W channels (16): the 4×4 outputs, each channel's written as four
/// rows of four pixels.
INLINE void output_tile_block(const int W, const float *z, long stride, const float *bias, int gated, float slope, float *out,
                              long plane, long rowStride) {
    float y[4][4][W];
    sandwich(4, 5, &AT4[0][0], 4, 5, &AT4[0][0], z, 5 * stride, stride, &y[0][0][0], 4 * W, W, W);
    for (int l = 0; l < W; l++) {
        const float shift = bias ? bias[l] : 0.0f;
        for (int j = 0; j < 4; j++)
            for (int q = 0; q < 4; q++) out[l * plane + j * rowStride + q] = finished(y[j][q][l], shift, gated, slope);
    }
}

WIDEST void neurossia_winograd_output(int m, const float *z, long stride, long channels, const float *bias, int gated, float slope,
                                      float *out, long plane, long rowStride) {
    long c = 0;
    if (m == 4)
        for (; c + 16 <= channels; c += 16)
            output_tile_block(16, z + c, stride, bias ? bias + c : NULL, gated, slope, out + c * plane, plane, rowStride);
    for (; c < channels; c++) {
        float y[4][4];
        if (m == 4) sandwich(4, 5, &AT4[0][0], 4, 5, &AT4[0][0], z + c, 5 * stride, stride, &y[0][0], 4, 1, 1);
        else sandwich(2, 3, &AT2[0][0], 2, 3, &AT2[0][0], z + c, 3 * stride, stride, &y[0][0], 4, 1, 1);
        const float shift = bias ? bias[c] : 0.0f;
        for (int j = 0; j < m; j++)
            for (int q = 0; q < m; q++) out[c * plane + j * rowStride + q] = finished(y[j][q], shift, gated, slope);
    }
}
