#ifndef NEUROSSIA_CCONVOLUTION_H
#define NEUROSSIA_CCONVOLUTION_H

/// oneDNN's direct convolutions on plain [N, C, H, W] float tensors: each call reorders its operands into
/// the blocked layouts oneDNN's JIT kernels read and back, single-threaded on the calling thread (Engine
/// splits the batch over cores itself). The convolution is x [N, C, H, W] ⊛ w [O, C, k, k] → y [N, O, Ho, Wo],
/// Ho = (H + 2p − k) / s + 1; a transposed convolution is its backward-data pass.

typedef struct {
    long batch, channels, height, width;
    long out_channels, kernel, stride, padding;
    int bf16; // 1: x, w and dy rounded to bfloat16, sums and results in float32.
} neurossia_conv_shape;

typedef struct neurossia_conv neurossia_conv;

/// The three passes' primitives for `shape`, made on first use and kept for the process (thread-safe);
/// NULL when oneDNN has no JIT kernel for one of them, so the caller keeps its own.
const neurossia_conv *neurossia_conv_prepare(const neurossia_conv_shape *shape);

/// The passes: packed weights are for forward or backward data (they read different layouts), and each
/// pass needs its own workspace.
enum { NEUROSSIA_CONV_FORWARD = 0, NEUROSSIA_CONV_BACKWARD_DATA = 1, NEUROSSIA_CONV_BACKWARD_WEIGHTS = 2 };

/// Bytes of workspace `pass` takes (operands reordered into its kernel's layouts, the kernel's scratchpad);
/// the caller lends it to each call, so it is memory only while the call runs.
long neurossia_conv_workspace_bytes(const neurossia_conv *conv, int pass);

/// Bytes `neurossia_conv_pack_weights` writes for `pass`.
long neurossia_conv_weights_bytes(const neurossia_conv *conv, int pass);

/// w [O, C, k, k] in `pass`'s layout (and precision) into `packed`.
void neurossia_conv_pack_weights(const neurossia_conv *conv, int pass, const float *w, void *packed);

/// A forward or backward-data pass, the two that map an activation to another through the weights:
/// forward y = x ⊛ w (in x, out y), backward data dx = ∂(x ⊛ w)/∂x applied to dy (in dy, out dx). `out`
/// is written when `add` is 0, added to otherwise.
void neurossia_conv_map(const neurossia_conv *conv, int pass, const float *in, const void *packed, float *out, int add,
                        void *workspace);

/// dw += ∂(x ⊛ w)/∂w applied to dy, dw [O, C, k, k].
void neurossia_conv_backward_weights(const neurossia_conv *conv, const float *x, const float *dy, float *dw, void *workspace);

/// Whether `pass`'s input (x for forward, dy for backward data) is in the same layout for that pass's
/// kernel as for the weight gradient's, so that `neurossia_conv_weights_and_map` can convert it once.
int neurossia_conv_shares_input(const neurossia_conv *conv, int pass);

/// Bytes of workspace `neurossia_conv_weights_and_map` takes.
long neurossia_conv_weights_and_map_workspace_bytes(const neurossia_conv *conv, int pass);

/// `neurossia_conv_backward_weights`, then `neurossia_conv_map` of `pass` on its input (x for forward, dy
/// for backward data) as the weight gradient's kernel read it: a layer's two backward passes with its output
/// gradient rounded and blocked once, where `neurossia_conv_shares_input` says they can share it.
void neurossia_conv_weights_and_map(const neurossia_conv *conv, int pass, const float *x, const float *dy, float *dw, const void *packed,
                                    float *out, int add, void *workspace);

/// The kernels oneDNN chose, "forward | backward data | backward weights".
const char *neurossia_conv_kernels(const neurossia_conv *conv);

#endif
