#ifndef NEUROSSIA_CVECTORMATH_H
#define NEUROSSIA_CVECTORMATH_H

#include "NarrowConvolution.h"
#include "Winograd.h"
#include <stdint.h>

// Elementwise exp-based functions and the per-channel sums of batch norm, vectorised at the CPU's
// widest width (AVX-512, AVX2 or SSE2, chosen when the program loads). Each result is the same on
// every CPU: the widths change how many elements go at once, never the arithmetic of one element or
// the order of a sum. e^x is within 2.5e-7 relative; NaN in gives NaN out.

/// y[i] = σ(x[i]) = 1 / (1 + e^(−x[i])).
void neurossia_sigmoid(const float *x, float *y, long count);

/// y[i] = tanh(x[i] + shift); y may be x.
void neurossia_tanh(const float *x, float *y, long count, float shift);

/// *sum = Σ d[i], *centred = Σ d[i] (x[i] − mean), over sixteen running partial sums combined in a fixed
/// order. With x = d and mean 0: Σ d and Σ d².
void neurossia_sum_products(const float *d, const float *x, float mean, long count, float *sum, float *centred);

/// The same with d first gated by a ReLU-like activation of y = x · scale + shift: d where y > 0, else
/// d · slope (0 for ReLU). Batch norm's backward through its activation without a pass of its own.
void neurossia_sum_products_gated(const float *d, const float *x, float mean, float scale, float shift, float slope, long count,
                                  float *sum, float *centred);

/// *sum = Σ v, *squares = Σ v² over v = x + weight · noise, summed as neurossia_sum_products sums a plane
/// with itself: batch-norm statistics of a plane with noise injected as it is read.
void neurossia_sum_squares_noisy(const float *x, const float *noise, float weight, long count, float *sum, float *squares);

/// Standard normal values by Box–Muller, two from each 64 random bits (24 for the radius, 24 for the
/// angle): out[2i] = r cos θ, out[2i + 1] = r sin θ, with float logarithm, sine and cosine within a few
/// 1e-7 of libm's. For noise in bulk; the latent vectors keep RandomGenerator.normal().
void neurossia_normal_pairs(const uint64_t *bits, float *out, long pairs);

/// One channel's batch-norm input gradient: dx = k · (weight · g − base − (x − mean) · centring) with
/// g = d gated as in neurossia_sum_products_gated (slope 1: ungated); added to dx when `adding`. dx may be d.
typedef struct {
    float mean, k, weight, base, centring, scale, shift, slope;
} neurossia_norm_gradient;

void neurossia_norm_input_gradient(const float *x, const float *d, float *dx, long count, neurossia_norm_gradient g, int adding);

/// One channel's batch normalisation, u = gamma · (z − mean) · inv + beta.
typedef struct {
    float mean, inv, gamma, beta;
} neurossia_norm;

/// Batch norm then GLU over one plane pair: out[i] = u_a[i] · σ(u_b[i]) with u_a of za by `a` and
/// u_b of zb by `b`; with `noise` (else NULL), of za + weight · noise and zb + weight · noise.
void neurossia_norm_glu(const float *za, const float *zb, const float *noise, float weight, float *out, long count,
                        neurossia_norm a, neurossia_norm b);

/// Its backward, first pass: with du the gradient at u_a and u_b from dout, sums[0..3] += Σ du_a,
/// Σ du_a · x̂_a, Σ du_b, Σ du_b · x̂_b (x̂ = (z − mean) · inv), summed like neurossia_sum_products;
/// z with the noise, as forward read it. du is written to dua and dub unless they are NULL: the second
/// pass reads it there rather than evaluate the sigmoid again.
void neurossia_norm_glu_sums(const float *za, const float *zb, const float *noise, float weight, const float *dout, long count,
                             neurossia_norm a, neurossia_norm b, float sums[4], float *dua, float *dub);

/// Second pass: dz = p · du + q + r · x̂ per half, coefficients (p, q, r) of a then b, from the first
/// pass's du; added to dza and dzb when `adding`, else written (in place: dua may be dza, dub dzb); z
/// with the noise, as forward read it.
void neurossia_norm_glu_backward(const float *za, const float *zb, const float *noise, float weight, const float *dua,
                                 const float *dub, float *dza, float *dzb, long count, neurossia_norm a, neurossia_norm b,
                                 const float coefficients[6], int adding);

/// Batch norm's output over one plane: y[i] = activation(x[i] · scale + shift), the activation of kind 0
/// (identity), 1 (ReLU) or 2 (leaky ReLU of `slope`) taken as `Activation.apply` takes it, to the bit.
/// y may be x.
void neurossia_norm_activation(const float *x, float *y, long count, float scale, float shift, int kind, float slope);

/// Bit i % 8 of bits[i / 8] = (y[i] <= 0), for i in [0, count); the last byte's spare bits 0. What a
/// ReLU-like activation's derivative needs of its output, in 1/32 of its room.
void neurossia_nonpositive_bits(const float *y, uint8_t *bits, long count);

/// dy[i] for i in [start, start + count) gated where bit i of `bits` is set (y[i] <= 0): 0 for ReLU
/// (`relu` 1), else dy[i] · slope; as `Activation.backward` gates by the output itself, to the bit.
void neurossia_gate_by_bits(float *dy, const uint8_t *bits, long start, long count, int relu, float slope);

#endif
