#ifndef NEUROSSIA_NARROW_CONVOLUTION_H
#define NEUROSSIA_NARROW_CONVOLUTION_H

// 3×3 convolutions with padding 1 and stride 1 to a few output channels (a generator's RGB layer), and
// below them the transposed 4×4 one with stride 2 for inference (DCGAN's RGB layer), one
// image at a time: vectorised along each row, every product in float32. GEMM-based and blocked kernels
// pad so few output channels to a whole register block and waste most of their work. x [C, H, W],
// w [O, C, 3, 3], y [O, H, W] with 1 ≤ O ≤ NEUROSSIA_NARROW_CHANNELS. scratch holds
// NEUROSSIA_NARROW_SCRATCH_ROWS · (W + 2) floats (zero-padded rows).

#define NEUROSSIA_NARROW_CHANNELS 4
#define NEUROSSIA_NARROW_SCRATCH_ROWS (3 * NEUROSSIA_NARROW_CHANNELS)

/// y = x ⊛ w, plus bias[o] when bias is not NULL.
void neurossia_conv3x3_forward(const float *x, long channels, long height, long width, const float *w, long out_channels,
                               const float *bias, float *y, float *scratch);

/// dx = dy ⋆ w (the adjoint), written, or added into dx when `adding`.
void neurossia_conv3x3_backward_data(const float *dy, long out_channels, long height, long width, const float *w,
                                     long channels, float *dx, int adding, float *scratch);

/// dw [O, C, 3, 3] += the products of dy with x's shifted rows, summed in sixteen running partial sums
/// combined in a fixed order, so the result does not depend on the vector width.
void neurossia_conv3x3_backward_weights(const float *x, long channels, long height, long width, const float *dy,
                                        long out_channels, float *dw, float *scratch);

/// The transposed 4×4 convolution with stride 2 and padding 1 to a few channels (DCGAN's RGB layer), for
/// inference: x [C, H, W], w [C, O, 4, 4] → y [O, 2H, 2W], plus bias[o] when bias is not NULL. Each
/// output pixel is four phases' 2×2 correlation, sixteen columns at a time; `pad` holds C · (H + 2) · (W + 2)
/// floats (x with a zero border).
void neurossia_conv_transpose4x4s2_forward(const float *x, long channels, long height, long width, const float *w,
                                           long out_channels, const float *bias, float *y, float *pad);

#endif
