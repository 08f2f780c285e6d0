// Plain ↔ blocked activations for oneDNN's direct convolutions (see BlockedLayout.h): a block of channels
// × as many positions at a time, loaded as vectors, transposed in registers and stored as vectors; 16 with
// AVX-512, 8 with AVX2.
#include "BlockedLayout.h"
#include "CGEMM.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))
#define AVX512_BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
#define AVX2 __attribute__((target("avx2")))

int neurossia_blocked_layout_available(long block, int bf16) {
    __builtin_cpu_init();
#if defined(NEUROSSIA_WIDEST_AVX2) // A build that runs as on a CPU without AVX-512 (scripts/neurossia-for-isa.sh).
    if (block == 16) return 0;
#endif
    if (block == 16) return bf16 ? neurossia_cpu_has_avx512_bf16() : __builtin_cpu_supports("avx512f");
    return block == 8 && !bf16 && __builtin_cpu_supports("avx2");
}

/// r[i][j] → r[j][i] for a 16 × 16 tile: pairs of rows interleaved by 32 then 64 bits within each
/// 128-bit lane, then the lanes gathered across four rows at a time.
AVX512 static inline void transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    // t[2i], t[2i+1]: rows 2i, 2i+1 at positions (0, 1 | 2, 3) + 4·lane, interleaved.
    for (int i = 0; i < 4; i++) {
        __m512d a = _mm512_castps_pd(t[4 * i]), b = _mm512_castps_pd(t[4 * i + 1]);
        __m512d c = _mm512_castps_pd(t[4 * i + 2]), d = _mm512_castps_pd(t[4 * i + 3]);
        r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    // r[4i + k], lane l: rows 4i … 4i+3 at position k + 4l.
    for (int k = 0; k < 4; k++) {
        __m512 low01 = _mm512_shuffle_f32x4(r[k], r[4 + k], 0x44), high01 = _mm512_shuffle_f32x4(r[k], r[4 + k], 0xee);
        __m512 low23 = _mm512_shuffle_f32x4(r[8 + k], r[12 + k], 0x44), high23 = _mm512_shuffle_f32x4(r[8 + k], r[12 + k], 0xee);
        t[k] = _mm512_shuffle_f32x4(low01, low23, 0x88);
        t[4 + k] = _mm512_shuffle_f32x4(low01, low23, 0xdd);
        t[8 + k] = _mm512_shuffle_f32x4(high01, high23, 0x88);
        t[12 + k] = _mm512_shuffle_f32x4(high01, high23, 0xdd);
    }
    for (int i = 0; i < 16; i++) r[i] = t[i];
}

/// The first `count` of 16 lanes.
static inline __mmask16 lanes(long count) { return count >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << count) - 1); }

AVX512_BF16 void neurossia_to_blocked_bf16(const float *plain, uint16_t *blocked, long images, long channels, long plane) {
    for (long block = 0; block < images * channels / 16; block++) {
        const float *in = plain + block * 16 * plane; // 16 channels, each `plane` long.
        uint16_t *out = blocked + block * plane * 16;
        for (long s = 0; s < plane; s += 16) {
            long count = plane - s < 16 ? plane - s : 16;
            __m512 r[16];
            for (int c = 0; c < 16; c++) r[c] = _mm512_maskz_loadu_ps(lanes(count), in + c * plane + s);
            transpose16(r); // r[j]: the 16 channels at position s + j.
            long j = 0;
            for (; j + 2 <= count; j += 2) _mm512_storeu_si512(out + (s + j) * 16, (__m512i)_mm512_cvtne2ps_pbh(r[j + 1], r[j]));
            if (j < count) _mm256_storeu_si256((void *)(out + (s + j) * 16), (__m256i)_mm512_cvtneps_pbh(r[j]));
        }
    }
}

AVX512 static void add_from_blocked16(const float *blocked, float *plain, long images, long channels, long plane) {
    for (long block = 0; block < images * channels / 16; block++) {
        const float *in = blocked + block * plane * 16;
        float *out = plain + block * 16 * plane;
        for (long s = 0; s < plane; s += 16) {
            long count = plane - s < 16 ? plane - s : 16;
            __m512 r[16];
            for (long j = 0; j < 16; j++) r[j] = j < count ? _mm512_loadu_ps(in + (s + j) * 16) : _mm512_setzero_ps();
            transpose16(r); // r[c]: channel c at positions s … s + 15.
            for (int c = 0; c < 16; c++) {
                float *to = out + c * plane + s;
                if (count == 16) _mm512_storeu_ps(to, _mm512_add_ps(_mm512_loadu_ps(to), r[c])); // Masked stores are slow on Zen 4.
                else _mm512_mask_storeu_ps(to, lanes(count), _mm512_add_ps(_mm512_maskz_loadu_ps(lanes(count), to), r[c]));
            }
        }
    }
}

/// r[i][j] → r[j][i] for an 8 × 8 tile, as `transpose16` does for 16 × 16.
AVX2 static inline void transpose8(__m256 r[8]) {
    __m256 t[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 2; i++) { // r[4i + k], lane l: rows 4i … 4i+3 at position k + 4l.
        r[4 * i] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        r[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0xee);
        r[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        r[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xee);
    }
    for (int k = 0; k < 4; k++) {
        t[k] = _mm256_permute2f128_ps(r[k], r[4 + k], 0x20);
        t[4 + k] = _mm256_permute2f128_ps(r[k], r[4 + k], 0x31);
    }
    for (int i = 0; i < 8; i++) r[i] = t[i];
}

/// Positions past the last whole tile go one value at a time.
AVX2 static void add_from_blocked8(const float *blocked, float *plain, long images, long channels, long plane) {
    for (long block = 0; block < images * channels / 8; block++) {
        const float *in = blocked + block * plane * 8;
        float *out = plain + block * 8 * plane;
        long s = 0;
        for (; s + 8 <= plane; s += 8) {
            __m256 r[8];
            for (int j = 0; j < 8; j++) r[j] = _mm256_loadu_ps(in + (s + j) * 8);
            transpose8(r);
            for (int c = 0; c < 8; c++) _mm256_storeu_ps(out + c * plane + s, _mm256_add_ps(_mm256_loadu_ps(out + c * plane + s), r[c]));
        }
        for (; s < plane; s++)
            for (int c = 0; c < 8; c++) out[c * plane + s] += in[s * 8 + c];
    }
}

void neurossia_add_from_blocked(const float *blocked, float *plain, long images, long channels, long plane, long block) {
    if (block == 16) return add_from_blocked16(blocked, plain, images, channels, plane);
    add_from_blocked8(blocked, plain, images, channels, plane);
}
#else
int neurossia_blocked_layout_available(long block, int bf16) { return (void)block, (void)bf16, 0; }
void neurossia_to_blocked_bf16(const float *plain, uint16_t *blocked, long images, long channels, long plane) {
    (void)plain, (void)blocked, (void)images, (void)channels, (void)plane;
}
void neurossia_add_from_blocked(const float *blocked, float *plain, long images, long channels, long plane, long block) {
    (void)blocked, (void)plain, (void)images, (void)channels, (void)plane, (void)block;
}
#endif
