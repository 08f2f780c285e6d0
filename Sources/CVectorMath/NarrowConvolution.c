// 3×3 convolutions to a few channels, and the transposed 4×4 one with stride 2 (see NarrowConvolution.h),
// written for the vectoriser: every inner loop runs along a row, with the output channels unrolled (each
// kernel is instantiated per channel count). Contraction into FMA is off so that every width rounds alike.
#include "NarrowConvolution.h"
#include "Widest.h"
#include <string.h>

#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")

/// pad[0] = pad[W + 1] = 0, pad[1 + i] = row y of the [H, W] plane, or all zeros outside the plane.
INLINE void padded_row(const float *plane, long y, long height, long width, float *pad) {
    pad[0] = pad[width + 1] = 0.0f;
    if (y >= 0 && y < height) memcpy(pad + 1, plane + y * width, (size_t)width * sizeof(float));
    else memset(pad + 1, 0, (size_t)width * sizeof(float));
}

/// Calls KERNEL(O) with O the literal channel count, so its loops over channels unroll.
#define BY_CHANNELS(count, KERNEL)                                                                                    \
    switch (count) {                                                                                                  \
    case 1: KERNEL(1); break;                                                                                         \
    case 2: KERNEL(2); break;                                                                                         \
    case 3: KERNEL(3); break;                                                                                         \
    default: KERNEL(4); break;                                                                                        \
    }

INLINE void forward(const float *x, long channels, long height, long width, const float *w, const int O, const float *bias,
                    float *y, float *scratch) {
    const long plane = height * width, stride = width + 2;
    for (long r = 0; r < height; r++) {
        for (int o = 0; o < O; o++) {
            float *out = y + o * plane + r * width, b = bias ? bias[o] : 0.0f;
            for (long i = 0; i < width; i++) out[i] = b;
        }
        for (long c = 0; c < channels; c++) {
            // Input rows r − 1, r, r + 1 of channel c, each with a zero on either side.
            for (int ky = 0; ky < 3; ky++) padded_row(x + c * plane, r + ky - 1, height, width, scratch + ky * stride);
            const float *p0 = scratch, *p1 = scratch + stride, *p2 = scratch + 2 * stride;
            float k[4][9];
            for (int o = 0; o < O; o++)
                for (int t = 0; t < 9; t++) k[o][t] = w[(o * channels + c) * 9 + t];
            for (long i = 0; i < width; i++) {
                for (int o = 0; o < O; o++) {
                    float *out = y + o * plane + r * width;
                    out[i] += k[o][0] * p0[i] + k[o][1] * p0[i + 1] + k[o][2] * p0[i + 2] + k[o][3] * p1[i] + k[o][4] * p1[i + 1] +
                              k[o][5] * p1[i + 2] + k[o][6] * p2[i] + k[o][7] * p2[i + 1] + k[o][8] * p2[i + 2];
                }
            }
        }
    }
}

WIDEST void neurossia_conv3x3_forward(const float *x, long channels, long height, long width, const float *w, long out_channels,
                                      const float *bias, float *y, float *scratch) {
#define FORWARD(O) forward(x, channels, height, width, w, O, bias, y, scratch)
    BY_CHANNELS(out_channels, FORWARD)
#undef FORWARD
}

INLINE void backward_data(const float *dy, const int O, long height, long width, const float *w, long channels, float *dx,
                          int adding, float *scratch) {
    const long plane = height * width, stride = width + 2;
    for (long r = 0; r < height; r++) {
        // dx[c][r][i] = Σ w[o][c][ky][kx] · dy[o][r − ky + 1][i − kx + 1]: the padded rows r + 1, r, r − 1 of
        // every output channel, then one pass per input channel.
        for (int o = 0; o < O; o++)
            for (int ky = 0; ky < 3; ky++) padded_row(dy + o * plane, r - ky + 1, height, width, scratch + (o * 3 + ky) * stride);
        for (long c = 0; c < channels; c++) {
            float k[4][9];
            for (int o = 0; o < O; o++)
                for (int t = 0; t < 9; t++) k[o][t] = w[(o * channels + c) * 9 + t];
            float *target = dx + c * plane + r * width;
            for (long i = 0; i < width; i++) {
                float sum = adding ? target[i] : 0.0f;
                for (int o = 0; o < O; o++) {
                    const float *q0 = scratch + o * 3 * stride, *q1 = q0 + stride, *q2 = q1 + stride;
                    sum += k[o][0] * q0[i + 2] + k[o][1] * q0[i + 1] + k[o][2] * q0[i] + k[o][3] * q1[i + 2] + k[o][4] * q1[i + 1] +
                           k[o][5] * q1[i] + k[o][6] * q2[i + 2] + k[o][7] * q2[i + 1] + k[o][8] * q2[i];
                }
                target[i] = sum;
            }
        }
    }
}

WIDEST void neurossia_conv3x3_backward_data(const float *dy, long out_channels, long height, long width, const float *w,
                                            long channels, float *dx, int adding, float *scratch) {
#define BACKWARD_DATA(O) backward_data(dy, O, height, width, w, channels, dx, adding, scratch)
    BY_CHANNELS(out_channels, BACKWARD_DATA)
#undef BACKWARD_DATA
}

INLINE void backward_weights(const float *x, long channels, long height, long width, const float *dy, const int O, float *dw,
                             float *scratch) {
    const long plane = height * width, whole = width / 16 * 16;
    for (long c = 0; c < channels; c++) {
        for (int ky = 0; ky < 3; ky++) {
            // dw[o][c][ky][kx] = Σ_r Σ_i dy[o][r][i] · x[c][r + ky − 1][i + kx − 1], each sum in sixteen lanes
            // (element i of a row goes to lane i mod 16) over all rows, then the lanes in order.
            float lanes[4][3][16] = {{{0}}};
            for (long r = 0; r < height; r++) {
                if (r + ky - 1 < 0 || r + ky - 1 >= height) continue;
                padded_row(x + c * plane, r + ky - 1, height, width, scratch);
                for (long i = 0; i < whole; i += 16) {
                    for (int o = 0; o < O; o++) {
                        const float *d = dy + o * plane + r * width + i;
                        for (int j = 0; j < 16; j++) {
                            lanes[o][0][j] += d[j] * scratch[i + j];
                            lanes[o][1][j] += d[j] * scratch[i + j + 1];
                            lanes[o][2][j] += d[j] * scratch[i + j + 2];
                        }
                    }
                }
                for (int o = 0; o < O; o++) {
                    const float *d = dy + o * plane + r * width;
                    for (long i = whole; i < width; i++)
                        for (int kx = 0; kx < 3; kx++) lanes[o][kx][i - whole] += d[i] * scratch[i + kx];
                }
            }
            for (int o = 0; o < O; o++) {
                for (int kx = 0; kx < 3; kx++) {
                    float total = 0;
                    for (int j = 0; j < 16; j++) total += lanes[o][kx][j];
                    dw[((o * channels + c) * 3 + ky) * 3 + kx] += total;
                }
            }
        }
    }
}

WIDEST void neurossia_conv3x3_backward_weights(const float *x, long channels, long height, long width, const float *dy,
                                               long out_channels, float *dw, float *scratch) {
#define BACKWARD_WEIGHTS(O) backward_weights(x, channels, height, width, dy, O, dw, scratch)
    BY_CHANNELS(out_channels, BACKWARD_WEIGHTS)
#undef BACKWARD_WEIGHTS
}

typedef float v16 __attribute__((ext_vector_type(16)));
typedef float v32 __attribute__((ext_vector_type(32)));

// Loads and stores of T, by value through macros and by pointer through functions: a 64-byte vector
// passed to or returned from a function changes the ABI of the builds without AVX-512 (-Wpsabi).
#define LOAD16(p) ({ v16 v_; __builtin_memcpy(&v_, (p), sizeof v_); v_; })
#define LOAD1(p) (*(p))

/// Sixteen lanes' sums of phases (a, 0) and (a, 1) interleaved into 32 columns of an output row.
INLINE void store_interleaved16(float *row, const v16 *even, const v16 *odd) {
    const v32 both = __builtin_shufflevector(*even, *odd, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23, 8, 24, 9, 25,
                                             10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    __builtin_memcpy(row, &both, sizeof both);
}

INLINE void store_interleaved1(float *row, const float *even, const float *odd) { row[0] = *even, row[1] = *odd; }

/// Output rows 2y and 2y + 1, columns 2(x0 + l) + b, of every output channel for the lanes l of T (a
/// vector of 16 floats, or one float for the columns left over): the four phases (a, b) at once, each a
/// 2×2 correlation of padded rows y + a and y + a + 1 (input rows y + a − 1 + k) through taps
/// w[c][o][3 − a − 2k][3 − b − 2k′], summed over c in order. Loads are plain unaligned vectors: left to
/// itself the compiler built the shifted rows from one another with permutes, which cost more.
#define TRANSPOSED_BLOCK(name, T, LOAD, STORE)                                                                         \
    INLINE void name(const float *pad, long channels, long height, long width, const float *w, const int O,             \
                     const float *bias, long y, long x0, float *out) {                                                   \
        const long padWidth = width + 2, padPlane = (height + 2) * padWidth, outWidth = 2 * width;                      \
        T sum[NEUROSSIA_NARROW_CHANNELS][2][2];                                                                         \
        UNROLL for (int o = 0; o < O; o++)                                                                              \
            UNROLL for (int p = 0; p < 4; p++) sum[o][p >> 1][p & 1] = bias ? bias[o] : 0.0f;                          \
        for (long c = 0; c < channels; c++) {                                                                           \
            const float *rows = pad + c * padPlane + y * padWidth + x0, *taps = w + c * O * 16;                         \
            T src[3][3];                                                                                                \
            UNROLL for (int r = 0; r < 3; r++)                                                                          \
                UNROLL for (int s = 0; s < 3; s++) src[r][s] = LOAD(rows + r * padWidth + s);                           \
            UNROLL for (int o = 0; o < O; o++)                                                                          \
                UNROLL for (int a = 0; a < 2; a++)                                                                      \
                    UNROLL for (int b = 0; b < 2; b++)                                                                  \
                        UNROLL for (int r = 0; r < 2; r++)                                                              \
                            UNROLL for (int s = 0; s < 2; s++)                                                          \
                                sum[o][a][b] += taps[o * 16 + (3 - a - 2 * r) * 4 + 3 - b - 2 * s] * src[a + r][b + s];  \
        }                                                                                                               \
        UNROLL for (int o = 0; o < O; o++)                                                                              \
            UNROLL for (int a = 0; a < 2; a++)                                                                          \
                STORE(out + (o * 2 * height + 2 * y + a) * outWidth + 2 * x0, &sum[o][a][0], &sum[o][a][1]);            \
    }

TRANSPOSED_BLOCK(transposed_block16, v16, LOAD16, store_interleaved16)
TRANSPOSED_BLOCK(transposed_column, float, LOAD1, store_interleaved1)

INLINE void transposed_forward(const float *x, long channels, long height, long width, const float *w, const int O,
                               const float *bias, float *y, float *pad) {
    const long padWidth = width + 2;
    for (long c = 0; c < channels; c++)
        for (long r = 0; r < height + 2; r++) padded_row(x + c * height * width, r - 1, height, width, pad + (c * (height + 2) + r) * padWidth);
    const long blocks = width / 16;
    for (long r = 0; r < height; r++) {
        for (long block = 0; block < blocks; block++) transposed_block16(pad, channels, height, width, w, O, bias, r, 16 * block, y);
        for (long x0 = 16 * blocks; x0 < width; x0++) transposed_column(pad, channels, height, width, w, O, bias, r, x0, y);
    }
}

WIDEST void neurossia_conv_transpose4x4s2_forward(const float *x, long channels, long height, long width, const float *w,
                                                  long out_channels, const float *bias, float *y, float *pad) {
#define FORWARD(O) transposed_forward(x, channels, height, width, w, O, bias, y, pad)
    BY_CHANNELS(out_channels, FORWARD)
#undef FORWARD
}
