#ifndef NEUROSSIA_BLOCKED_LAYOUT_H
#define NEUROSSIA_BLOCKED_LAYOUT_H

/// Between Engine's plain activations [N, C, S] (S = H·W) and the blocked layouts oneDNN's direct
/// convolutions read and write, [N, C/B, S, B] with B = 16 on AVX-512 ("aBcd16b") and 8 on AVX2
/// ("aBcd8b"): channel c of position s sits at ((n·C/B + c/B)·S + s)·B + c%B. oneDNN's own reorders run
/// these at about a gigavalue per second on one core, a third of a bf16 step's kernel time in
/// fastgan-lite; these move B × B tiles through registers. C must be a multiple of B; callers ask
/// `neurossia_blocked_layout_available` first.

/// 1 when this CPU runs the conversions for `block` 16 (AVX-512; `bf16` 1: with AVX-512 BF16) or 8 (AVX2,
/// float32 only), 0 when the caller keeps oneDNN's.
int neurossia_blocked_layout_available(long block, int bf16);

/// plain [N, C, S] float32 → blocked, as float32 (`bf16` 0) or rounded to bfloat16 (`bf16` 1, block 16
/// only; to nearest even as vcvtne2ps2bf16 rounds).
void neurossia_to_blocked(const float *plain, void *blocked, long images, long channels, long plane, long block, int bf16);

/// blocked float32 → plain [N, C, S], written (`add` 0) or added to what `plain` holds (`add` 1).
void neurossia_from_blocked(const float *blocked, float *plain, long images, long channels, long plane, long block, int add);

#endif
