// 3×3 convolutions to a few channels (see NarrowConvolution.h), written for the vectoriser: every inner
// loop runs along a row, with the output channels unrolled (each kernel is instantiated per channel
// count). Contraction into FMA is off so that every width rounds alike.
#include "NarrowConvolution.h"
#include "Widest.h"
#include <string.h>

#define INLINE static inline __attribute__((always_inline))

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
