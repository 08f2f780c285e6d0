#ifndef NEUROSSIA_CVECTORMATH_H
#define NEUROSSIA_CVECTORMATH_H

// Elementwise exp-based functions and the per-channel sums of batch norm, vectorised at the CPU's
// widest width (AVX-512, AVX2 or SSE2, chosen when the program loads). Each result is the same on
// every CPU: the widths change how many elements go at once, never the arithmetic of one element or
// the order of a sum. e^x is within 2.5e-7 relative; NaN in gives NaN out.

/// out[i] = a[i] · σ(b[i]) for i < count: the gated linear unit of FastGAN's blocks.
void neurossia_glu(const float *a, const float *b, float *out, long count);

/// The GLU's gradients: da[i] += dout[i] · σ(b[i]), db[i] += dout[i] · a[i] · σ(b[i]) (1 − σ(b[i])).
void neurossia_glu_backward(const float *a, const float *b, const float *dout, float *da, float *db, long count);

/// y[i] = σ(x[i]) = 1 / (1 + e^(−x[i])).
void neurossia_sigmoid(const float *x, float *y, long count);

/// y[i] = tanh(x[i] + shift); y may be x.
void neurossia_tanh(const float *x, float *y, long count, float shift);

/// *sum = Σ p[i], *squares = Σ p[i]², over sixteen running partial sums combined in a fixed order.
void neurossia_sum_squares(const float *p, long count, float *sum, float *squares);

/// *sum = Σ d[i], *centred = Σ d[i] (x[i] − mean), summed like neurossia_sum_squares.
void neurossia_sum_products(const float *d, const float *x, float mean, long count, float *sum, float *centred);

#endif
