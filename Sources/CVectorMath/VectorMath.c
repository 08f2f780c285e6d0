// Loops written for the vectoriser, built once per x86 width (target_clones picks one at load time).
// Contraction into FMA is off so that every width rounds each element alike.
#include "CVectorMath.h"
#include "Widest.h"
#include <stdint.h>
#include <math.h>
#include <string.h>

// e^x = 2^k · e^r with k = round(x / ln 2) and r = x − k ln 2 (ln 2 in two parts, |r| ≤ ln 2 / 2), e^r by
// its Taylor series to r⁶, 2^k put into the exponent bits. x is first clamped to [−87, 88] so 2^k is a
// normal float; a NaN fails both comparisons, stays in r and comes out.
static inline float exp_approx(float x) {
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    float k = x * 1.44269504088896341f + 12582912.0f; // 1.5 · 2^23: the addition rounds to an integer
    k -= 12582912.0f;
    float r = x - k * 0.693145751953125f - k * 1.428606765330187e-6f;
    float e = 1.0f / 720;
    e = e * r + 1.0f / 120;
    e = e * r + 1.0f / 24;
    e = e * r + 1.0f / 6;
    e = e * r + 0.5f;
    e = e * r + 1.0f;
    e = e * r + 1.0f;
    int32_t bits = ((int32_t)k + 127) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    return e * scale;
}

static inline float sigmoid(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

WIDEST void neurossia_sigmoid(const float *x, float *y, long count) {
    for (long i = 0; i < count; i++) y[i] = sigmoid(x[i]);
}

// tanh x = sign(x) (1 − t) / (1 + t) with t = e^(−2|x|). y may be x (activations run in place): each
// element is read before it is written, so the loop is safe to vectorise, and is told so; with the
// vectoriser's own overlap check an in-place call ran the scalar loop (5% of generation's time).
WIDEST void neurossia_tanh(const float *x, float *y, long count, float shift) {
#pragma clang loop vectorize(assume_safety)
    for (long i = 0; i < count; i++) {
        float v = x[i] + shift, t = exp_approx(-2.0f * (v < 0 ? -v : v)), m = (1.0f - t) / (1.0f + t);
        y[i] = v < 0 ? -m : m;
    }
}

enum { lanes = 16 };

// Σ g and Σ g (x − mean) in sixteen running partial sums combined in a fixed order, with g = d, or when
// `gated` (a literal, so each caller gets its own loop) d where x · scale + shift > 0 and d · slope elsewhere.
static inline __attribute__((always_inline)) void sum_products(const float *d, const float *x, float mean, float scale,
                                                               float shift, float slope, int gated, long count, float *sum,
                                                               float *centred) {
#define ADD(j, l)                                                                                                     \
    do {                                                                                                              \
        float g = gated && !(x[j] * scale + shift > 0) ? d[j] * slope : d[j];                                         \
        s[l] += g;                                                                                                    \
        c[l] += g * (x[j] - mean);                                                                                    \
    } while (0)
    float s[lanes] = {0}, c[lanes] = {0};
    long i = 0;
    for (; i + lanes <= count; i += lanes)
        for (int l = 0; l < lanes; l++) ADD(i + l, l);
    for (int l = 0; i + l < count; l++) ADD(i + l, l);
#undef ADD
    float totalS = 0, totalC = 0;
    for (int l = 0; l < lanes; l++) { totalS += s[l]; totalC += c[l]; }
    *sum = totalS;
    *centred = totalC;
}

WIDEST void neurossia_sum_products(const float *d, const float *x, float mean, long count, float *sum, float *centred) {
    sum_products(d, x, mean, 0, 0, 1, 0, count, sum, centred);
}

// Σ v and Σ v² over v = x + weight · noise, lane by lane as `sum_products` sums a plane with itself (mean 0):
// batch-norm statistics of a plane with noise injected as it is read, the same bits as of the sum written out.
WIDEST void neurossia_sum_squares_noisy(const float *x, const float *noise, float weight, long count, float *sum,
                                        float *squares) {
    float s[lanes] = {0}, c[lanes] = {0};
    long i = 0;
    for (; i + lanes <= count; i += lanes)
        for (int l = 0; l < lanes; l++) {
            float v = x[i + l] + weight * noise[i + l];
            s[l] += v, c[l] += v * v;
        }
    for (int l = 0; i + l < count; l++) {
        float v = x[i + l] + weight * noise[i + l];
        s[l] += v, c[l] += v * v;
    }
    float totalS = 0, totalC = 0;
    for (int l = 0; l < lanes; l++) { totalS += s[l]; totalC += c[l]; }
    *sum = totalS;
    *squares = totalC;
}

WIDEST void neurossia_sum_products_gated(const float *d, const float *x, float mean, float scale, float shift, float slope, long count,
                                         float *sum, float *centred) {
    sum_products(d, x, mean, scale, shift, slope, 1, count, sum, centred);
}

WIDEST void neurossia_norm_input_gradient(const float *x, const float *d, float *dx, long count, neurossia_norm_gradient g,
                                          int adding) {
    // dx may be d: each iteration reads d[i] before it writes dx[i], and no other element.
#pragma clang loop vectorize(assume_safety)
    for (long i = 0; i < count; i++) {
        float gated = d[i] * (x[i] * g.scale + g.shift > 0 ? 1.0f : g.slope);
        dx[i] = (adding ? dx[i] : 0.0f) + g.k * (g.weight * gated - g.base - (x[i] - g.mean) * g.centring);
    }
}

// ln x for x in (0, 1]: x = m · 2^e with m in [√½, √2), ln m = 2 artanh t, t = (m − 1) / (m + 1) in
// [−0.172, 0.172], by its series to t⁹ (the next term is under 3e-9).
static inline __attribute__((always_inline)) float log_unit(float x) {
    int32_t bits;
    memcpy(&bits, &x, 4);
    int32_t e = ((bits >> 23) & 0xff) - 127;
    int32_t mantissa = (bits & 0x007fffff) | 0x3f800000;
    float m;
    memcpy(&m, &mantissa, 4);
    int big = m > 1.41421356f;
    m = big ? m * 0.5f : m;
    e += big;
    float t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    float series = 1.0f / 9;
    series = series * t2 + 1.0f / 7;
    series = series * t2 + 1.0f / 5;
    series = series * t2 + 1.0f / 3;
    series = series * t2 + 1.0f;
    return (float)e * 0.693147181f + 2.0f * t * series;
}

WIDEST void neurossia_normal_pairs(const uint64_t *bits, float *out, long pairs) {
    for (long i = 0; i < pairs; i++) {
        uint64_t b = bits[i];
        // Radius from u1 in (0, 1] (never ln 0), angle 2π·u2 with u2 in [0, 1), 24 bits each.
        float u1 = (float)((uint32_t)(b >> 40) + 1) * 0x1p-24f;
        float u2 = (float)((uint32_t)(b >> 16) & 0xffffff) * 0x1p-24f;
        float r = __builtin_elementwise_sqrt(-2.0f * log_unit(u1));
        // The angle in quarter turns: quadrant k, and φ in [−π/4, π/4] from its nearest quarter.
        float q = u2 * 4.0f, k = (float)(int32_t)(q + 0.5f), f = (q - k) * 1.57079633f, f2 = f * f;
        float sine = -1.0f / 362880;
        sine = sine * f2 + 1.0f / 5040;
        sine = sine * f2 - 1.0f / 120;
        sine = sine * f2 + 1.0f / 6;
        sine = f - f * f2 * sine;
        float cosine = 1.0f / 3628800;
        cosine = cosine * f2 - 1.0f / 40320;
        cosine = cosine * f2 + 1.0f / 720;
        cosine = cosine * f2 - 1.0f / 24;
        cosine = cosine * f2 + 0.5f;
        cosine = 1.0f - f2 * cosine;
        int quadrant = (int32_t)k & 3;
        float c = quadrant == 0 ? cosine : quadrant == 1 ? -sine : quadrant == 2 ? -cosine : sine;
        float s = quadrant == 0 ? sine : quadrant == 1 ? cosine : quadrant == 2 ? -sine : -cosine;
        out[2 * i] = r * c;
        out[2 * i + 1] = r * s;
    }
}

// The GLU's gradients at u_a and u_b for one element, from z and the gradient of out.
static inline void norm_glu_gradients(float za, float zb, float dout, neurossia_norm a, neurossia_norm b,
                                      float *xa, float *xb, float *dua, float *dub) {
    *xa = (za - a.mean) * a.inv;
    *xb = (zb - b.mean) * b.inv;
    float ua = a.gamma * *xa + a.beta, s = sigmoid(b.gamma * *xb + b.beta);
    *dua = dout * s;
    *dub = dout * ua * s * (1.0f - s);
}

static inline float norm_glu(float za, float zb, neurossia_norm a, neurossia_norm b) {
    float ua = a.gamma * ((za - a.mean) * a.inv) + a.beta, ub = b.gamma * ((zb - b.mean) * b.inv) + b.beta;
    return ua * sigmoid(ub);
}

WIDEST void neurossia_norm_glu(const float *za, const float *zb, const float *noise, float weight, float *out, long count,
                               neurossia_norm a, neurossia_norm b) {
    if (noise)
        for (long i = 0; i < count; i++) out[i] = norm_glu(za[i] + weight * noise[i], zb[i] + weight * noise[i], a, b);
    else
        for (long i = 0; i < count; i++) out[i] = norm_glu(za[i], zb[i], a, b);
}

// z + weight · noise where there is noise: a literal `noisy` (and `storing`) gives each caller its own loop.
#define NOISY(z, i) (noisy ? (z)[i] + weight * noise[i] : (z)[i])

static inline __attribute__((always_inline)) void norm_glu_sums(const float *za, const float *zb, const float *noise, float weight,
                                                                int noisy, const float *dout, long count, neurossia_norm a,
                                                                neurossia_norm b, float sums[4], float *dua_out, float *dub_out,
                                                                int storing) {
    float sa[lanes] = {0}, ta[lanes] = {0}, sb[lanes] = {0}, tb[lanes] = {0};
    long i = 0;
    for (; i + lanes <= count; i += lanes)
        for (int l = 0; l < lanes; l++) {
            float xa, xb, dua, dub;
            norm_glu_gradients(NOISY(za, i + l), NOISY(zb, i + l), dout[i + l], a, b, &xa, &xb, &dua, &dub);
            sa[l] += dua, ta[l] += dua * xa, sb[l] += dub, tb[l] += dub * xb;
            if (storing) dua_out[i + l] = dua, dub_out[i + l] = dub;
        }
    for (int l = 0; i + l < count; l++) {
        float xa, xb, dua, dub;
        norm_glu_gradients(NOISY(za, i + l), NOISY(zb, i + l), dout[i + l], a, b, &xa, &xb, &dua, &dub);
        sa[l] += dua, ta[l] += dua * xa, sb[l] += dub, tb[l] += dub * xb;
        if (storing) dua_out[i + l] = dua, dub_out[i + l] = dub;
    }
    float total[4] = {0};
    for (int l = 0; l < lanes; l++) total[0] += sa[l], total[1] += ta[l], total[2] += sb[l], total[3] += tb[l];
    for (int k = 0; k < 4; k++) sums[k] += total[k];
}

WIDEST void neurossia_norm_glu_sums(const float *za, const float *zb, const float *noise, float weight, const float *dout, long count,
                                    neurossia_norm a, neurossia_norm b, float sums[4], float *dua, float *dub) {
    if (noise && dua) norm_glu_sums(za, zb, noise, weight, 1, dout, count, a, b, sums, dua, dub, 1);
    else if (noise) norm_glu_sums(za, zb, noise, weight, 1, dout, count, a, b, sums, dua, dub, 0);
    else if (dua) norm_glu_sums(za, zb, noise, weight, 0, dout, count, a, b, sums, dua, dub, 1);
    else norm_glu_sums(za, zb, noise, weight, 0, dout, count, a, b, sums, dua, dub, 0);
}

// dua may be dza and dub dzb: each element is read before it is written, so the loop is safe to vectorise.
static inline __attribute__((always_inline)) void norm_glu_backward(const float *za, const float *zb, const float *noise, float weight,
                                                                    int noisy, const float *dua, const float *dub, float *dza, float *dzb,
                                                                    long count, neurossia_norm a, neurossia_norm b,
                                                                    const float coefficients[6], int adding) {
    float pa = coefficients[0], qa = coefficients[1], ra = coefficients[2];
    float pb = coefficients[3], qb = coefficients[4], rb = coefficients[5];
#pragma clang loop vectorize(assume_safety)
    for (long i = 0; i < count; i++) {
        float xa = (NOISY(za, i) - a.mean) * a.inv, xb = (NOISY(zb, i) - b.mean) * b.inv;
        float ga = pa * dua[i] + qa + ra * xa, gb = pb * dub[i] + qb + rb * xb;
        dza[i] = adding ? dza[i] + ga : ga;
        dzb[i] = adding ? dzb[i] + gb : gb;
    }
}

WIDEST void neurossia_norm_glu_backward(const float *za, const float *zb, const float *noise, float weight, const float *dua,
                                        const float *dub, float *dza, float *dzb, long count, neurossia_norm a, neurossia_norm b,
                                        const float coefficients[6], int adding) {
    if (noise)
        norm_glu_backward(za, zb, noise, weight, 1, dua, dub, dza, dzb, count, a, b, coefficients, adding);
    else
        norm_glu_backward(za, zb, noise, weight, 0, dua, dub, dza, dzb, count, a, b, coefficients, adding);
}
#undef NOISY

// activation(x · scale + shift + 0), the `+ 0` as `Activation.apply` adds its zero shift (−0 becomes +0); a
// literal `kind` gives each caller its own loop. y may be x: each element is read before it is written.
static inline __attribute__((always_inline)) void norm_activation(const float *x, float *y, long count, float scale, float shift,
                                                                  int kind, float slope) {
#pragma clang loop vectorize(assume_safety)
    for (long i = 0; i < count; i++) {
        float t = x[i] * scale + shift;
        t = t + 0.0f;
        y[i] = kind == 0 ? t : t < 0 ? (kind == 1 ? 0.0f : t * slope) : t;
    }
}

WIDEST void neurossia_norm_activation(const float *x, float *y, long count, float scale, float shift, int kind, float slope) {
    if (kind == 0)
        norm_activation(x, y, count, scale, shift, 0, slope);
    else if (kind == 1)
        norm_activation(x, y, count, scale, shift, 1, slope);
    else
        norm_activation(x, y, count, scale, shift, 2, slope);
}

WIDEST void neurossia_nonpositive_bits(const float *y, uint8_t *bits, long count) {
    long whole = count / 8;
    for (long b = 0; b < whole; b++) {
        uint8_t byte = 0;
        for (int j = 0; j < 8; j++) byte |= (uint8_t)((y[8 * b + j] <= 0.0f) << j);
        bits[b] = byte;
    }
    if (count % 8) {
        uint8_t byte = 0;
        for (long j = 0; j < count % 8; j++) byte |= (uint8_t)((y[8 * whole + j] <= 0.0f) << j);
        bits[whole] = byte;
    }
}

// A literal `relu` gives each caller its own loop.
static inline __attribute__((always_inline)) void gate_by_bits(float *dy, const uint8_t *bits, long start, long count, int relu,
                                                               float slope) {
#pragma clang loop vectorize(assume_safety)
    for (long i = start; i < start + count; i++) {
        int nonpositive = (bits[i >> 3] >> (i & 7)) & 1;
        float d = dy[i];
        dy[i] = nonpositive ? (relu ? 0.0f : d * slope) : d;
    }
}

WIDEST void neurossia_gate_by_bits(float *dy, const uint8_t *bits, long start, long count, int relu, float slope) {
    if (relu)
        gate_by_bits(dy, bits, start, count, 1, slope);
    else
        gate_by_bits(dy, bits, start, count, 0, slope);
}
