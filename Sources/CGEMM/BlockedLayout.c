// Plain ↔ blocked activations for oneDNN's direct convolutions (see BlockedLayout.h): 16 channels × 16
// positions at a time, loaded as 16 vectors, transposed in registers and stored as 16 vectors.
#include "BlockedLayout.h"
#include "CGEMM.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

int neurossia_blocked_layout_available(int bf16) {
    __builtin_cpu_init();
    return bf16 ? neurossia_cpu_has_avx512_bf16() : __builtin_cpu_supports("avx512f");
}

/// r[i][j] → r[j][i] for a 16 × 16 tile: pairs of rows interleaved by 32 then 64 bits within each
/// 128-bit lane, then the lanes gathered across four rows at a time.
AVX512 static inline void transpose(__m512 r[16]) {
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

AVX512 void neurossia_to_blocked(const float *plain, void *blocked, long images, long channels, long plane, int bf16) {
    float *out32 = blocked;
    uint16_t *out16 = blocked;
    for (long block = 0; block < images * channels / 16; block++) {
        const float *in = plain + block * 16 * plane; // 16 channels, each `plane` long.
        long base = block * plane * 16;
        for (long s = 0; s < plane; s += 16) {
            long count = plane - s < 16 ? plane - s : 16;
            __mmask16 mask = lanes(count);
            __m512 r[16];
            for (int c = 0; c < 16; c++) r[c] = _mm512_maskz_loadu_ps(mask, in + c * plane + s);
            transpose(r); // r[j]: the 16 channels at position s + j.
            if (bf16) {
                long j = 0;
                for (; j + 2 <= count; j += 2)
                    _mm512_storeu_si512(out16 + base + (s + j) * 16, (__m512i)_mm512_cvtne2ps_pbh(r[j + 1], r[j]));
                if (j < count) _mm256_storeu_si256((void *)(out16 + base + (s + j) * 16), (__m256i)_mm512_cvtneps_pbh(r[j]));
            } else {
                for (long j = 0; j < count; j++) _mm512_storeu_ps(out32 + base + (s + j) * 16, r[j]);
            }
        }
    }
}

/// to[0 ..< 16] = v, or += v, in the lanes `mask` holds. Masked stores are slow on some CPUs (AMD's Zen 4),
/// so a whole row goes without.
AVX512 static inline void put(float *to, __m512 v, __mmask16 mask, int add) {
    if (mask == 0xffff) return _mm512_storeu_ps(to, add ? _mm512_add_ps(_mm512_loadu_ps(to), v) : v);
    _mm512_mask_storeu_ps(to, mask, add ? _mm512_add_ps(_mm512_maskz_loadu_ps(mask, to), v) : v);
}

AVX512 void neurossia_from_blocked(const float *blocked, float *plain, long images, long channels, long plane, int add) {
    for (long block = 0; block < images * channels / 16; block++) {
        const float *in = blocked + block * plane * 16;
        float *out = plain + block * 16 * plane;
        // Two tiles at a time, so that each channel's row takes 128 contiguous bytes rather than 64: 16
        // rows written at once are what limits this direction.
        for (long s = 0; s < plane; s += 32) {
            __m512 r[16], q[16]; // positions s …, then s + 16 …
            long count = plane - s < 32 ? plane - s : 32;
            for (long j = 0; j < 16; j++) {
                r[j] = j < count ? _mm512_loadu_ps(in + (s + j) * 16) : _mm512_setzero_ps();
                q[j] = j + 16 < count ? _mm512_loadu_ps(in + (s + 16 + j) * 16) : _mm512_setzero_ps();
            }
            transpose(r); // r[c]: channel c at positions s … s + 15.
            transpose(q);
            for (int c = 0; c < 16; c++) {
                put(out + c * plane + s, r[c], lanes(count), add);
                if (count > 16) put(out + c * plane + s + 16, q[c], lanes(count - 16), add);
            }
        }
    }
}
#else
int neurossia_blocked_layout_available(int bf16) { return (void)bf16, 0; }
void neurossia_to_blocked(const float *plain, void *blocked, long images, long channels, long plane, int bf16) {
    (void)plain, (void)blocked, (void)images, (void)channels, (void)plane, (void)bf16;
}
void neurossia_from_blocked(const float *blocked, float *plain, long images, long channels, long plane, int add) {
    (void)blocked, (void)plain, (void)images, (void)channels, (void)plane, (void)add;
}
#endif
