#ifndef NEUROSSIA_BLOCKED_LAYOUT_H
#define NEUROSSIA_BLOCKED_LAYOUT_H

/// Between Engine's plain activations [N, C, S] (S = H·W) and the blocked layout oneDNN's AVX-512 direct
/// convolutions read and write, [N, C/16, S, 16] ("aBcd16b"): channel c of position s sits at
/// ((n·C/16 + c/16)·S + s)·16 + c%16. oneDNN's own reorders run these at about a gigavalue per second on
/// one core, a third of a bf16 step's kernel time in fastgan-lite; these move 16 × 16 tiles through
/// registers. C must be a multiple of 16. Both need AVX-512 (AVX-512 BF16 for bfloat16): callers ask
/// `neurossia_blocked_layout_available` first.

/// 1 when this CPU runs the conversions (`bf16`: the bfloat16 one too), 0 when the caller keeps oneDNN's.
int neurossia_blocked_layout_available(int bf16);

/// plain [N, C, S] float32 → blocked, as float32 (`bf16` 0) or rounded to bfloat16 (`bf16` 1, to nearest
/// even as vcvtne2ps2bf16 rounds).
void neurossia_to_blocked(const float *plain, void *blocked, long images, long channels, long plane, int bf16);

/// blocked float32 → plain [N, C, S], written (`add` 0) or added to what `plain` holds (`add` 1).
void neurossia_from_blocked(const float *blocked, float *plain, long images, long channels, long plane, int add);

#endif
