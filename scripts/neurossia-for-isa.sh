# Sourced by the bench scripts: sets `neurossia` to the binary for ISA `isa` (needs `root`, the repository,
# and `precisions`, a comma-separated list). `native`: the release build, brought up to date first (a stale
# binary would be measured as if it were the tree's). `avx2`: runs our
# side as on a CPU without AVX-512 (Zen 3), on one that has it: builds the engine's vector kernels stopping
# at AVX2 (.build/avx2, `NEUROSSIA_WIDEST_AVX2`), caps OpenBLAS (its AVX2 core), oneDNN, MKL and PyTorch's
# own kernels at AVX2 for everything started after, and checks what our side then runs: an AVX-512 kernel
# left is an error, not a footnote.
# The oneDNN kernels a run executed, from its verbose lines: "convolution,jit:avx2 reorder,jit:blk ...".
onednn_kernels() { grep -oE 'exec,cpu,[a-z_]+,[^,]+' | cut -d, -f3- | sort -u | tr '\n' ' '; }
case "$isa" in
native)
    neurossia="$root/.build/release/neurossia"
    (cd "$root" && swift build -c release --product neurossia) ;;
avx2)
    [[ ",$precisions," != *,bf16,* && ",$precisions," != *,auto,* ]] || {
        echo "ISA avx2 measures float32 only: bfloat16 products need AVX-512 BF16" >&2; exit 2; }
    neurossia="$root/.build/avx2/release/neurossia"
    (cd "$root" && swift build -c release --product neurossia --scratch-path .build/avx2 \
                               -Xcc -DNEUROSSIA_WIDEST_AVX2)
    grep -q AuthenticAMD /proc/cpuinfo && core=Zen || core=Haswell
    export OPENBLAS_CORETYPE=$core DNNL_MAX_CPU_ISA=AVX2 ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 \
           MKL_ENABLE_INSTRUCTIONS=AVX2
    ours=$(ONEDNN_VERBOSE=1 DNNL_VERBOSE=1 "$neurossia" bench train --size 64 --batch 16 --iters 1 --gen-iters 1 --warmup 1 \
           --precision fp32 --convolution direct)
    # target_clones names a kernel's AVX-512 clone <kernel>.avx512f.0.
    clones=$(nm "$neurossia" | grep -c '\.avx512f\.' || true)
    echo "ours:  $(head -1 <<< "$ours"); oneDNN $(onednn_kernels <<< "$ours")"
    echo "ours:  AVX-512 clones of our vector kernels: $clones"
    if onednn_kernels <<< "$ours" | grep -qi avx512 || ! grep -q "OpenBLAS core $core" <<< "$ours" \
       || [ "$clones" != 0 ]; then
        echo "ISA avx2: our side still runs AVX-512 kernels (above)" >&2; exit 1
    fi ;;
*) echo "ISA is native or avx2, not '$isa'" >&2; exit 2 ;;
esac
