#ifndef NEUROSSIA_BLOCKED_LAYOUT_H
#define NEUROSSIA_BLOCKED_LAYOUT_H

#include <stdint.h>

/// Between Engine's plain activations [N, C, S] (S = H·W) and the blocked layouts oneDNN's direct
/// convolutions read and write, [N, C/B, S, B] with B = 16 on AVX-512 ("aBcd16b") and 8 on AVX2
/// ("aBcd8b"): channel c of position s sits at ((n·C/B + c/B)·S + s)·B + c%B. oneDNN's reorders copy
/// between these as fast as ours, but when they also round to bfloat16 or add into the target they run
/// at 0.4-1.3 gigavalues per second on one core (in fastgan-lite's bf16 step, two thirds of the reorders'
/// time, which was a third of oneDNN's); these two move B × B tiles through registers
/// (scripts/bench-blocked-layout.sh compares them). C must be a multiple of B; callers ask
/// `neurossia_blocked_layout_available` first.

/// 1 when this CPU runs the conversions for `block` 16 (AVX-512; `bf16` 1: with AVX-512 BF16) or 8 (AVX2,
/// float32 only), 0 when the caller keeps oneDNN's.
int neurossia_blocked_layout_available(long block, int bf16);

/// plain [N, C, S] float32 → 16-channel blocks of bfloat16, rounded to nearest even as vcvtne2ps2bf16 rounds.
void neurossia_to_blocked_bf16(const float *plain, uint16_t *blocked, long images, long channels, long plane);

/// plain [N, C, S] += blocked float32, in blocks of `block` channels.
void neurossia_add_from_blocked(const float *blocked, float *plain, long images, long channels, long plane, long block);

#endif
