// Our conversions between plain activations and oneDNN's channel blocks (Sources/CGEMM/BlockedLayout.c)
// against oneDNN's reorders doing the same on one activation shape [N, C, H, W], one thread, call by call
// alternating: rounding plain float32 into bfloat16 blocks of 16, and adding float32 blocks into plain.
// Built and run by scripts/bench-blocked-layout.sh; usage: bench N C H W BLOCK.
#include "BlockedLayout.h"
#include <oneapi/dnnl/dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

extern void omp_set_num_threads(int); // libgomp's, which libdnnl runs on.

static dnnl_engine_t engine;
static dnnl_stream_t stream;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/// oneDNN's reorder from `from` to `to`, adding into `to` when `add` (as Convolution.c makes them).
static dnnl_primitive_t reorder(const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to, int add) {
    dnnl_primitive_attr_t attr;
    dnnl_primitive_attr_create(&attr);
    if (add) {
        dnnl_post_ops_t ops;
        dnnl_post_ops_create(&ops);
        dnnl_post_ops_append_sum(ops, 1.0f);
        dnnl_primitive_attr_set_post_ops(attr, ops);
        dnnl_post_ops_destroy(ops);
    }
    dnnl_primitive_desc_t pd;
    if (dnnl_reorder_primitive_desc_create(&pd, from, engine, to, engine, attr) != dnnl_success) {
        fprintf(stderr, "oneDNN has no reorder for this shape\n");
        exit(1);
    }
    dnnl_primitive_t primitive;
    dnnl_primitive_create(&primitive, pd);
    dnnl_primitive_desc_destroy(pd);
    dnnl_primitive_attr_destroy(attr);
    return primitive;
}

static void run(dnnl_primitive_t primitive, const dnnl_memory_desc_t *from, const void *source, const dnnl_memory_desc_t *to,
                void *target) {
    dnnl_memory_t a, b;
    dnnl_memory_create(&a, from, engine, (void *)source);
    dnnl_memory_create(&b, to, engine, target);
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, a}, {DNNL_ARG_TO, b}};
    dnnl_primitive_execute(primitive, stream, 2, args);
    dnnl_stream_wait(stream);
    dnnl_memory_destroy(a);
    dnnl_memory_destroy(b);
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s N C H W BLOCK\n", argv[0]);
        return 2;
    }
    long n = atol(argv[1]), c = atol(argv[2]), h = atol(argv[3]), w = atol(argv[4]), block = atol(argv[5]);
    if (!neurossia_blocked_layout_available(block, 0)) {
        printf("this CPU has no kernels for blocks of %ld: oneDNN's reorders run there\n", block);
        return 0;
    }
    omp_set_num_threads(1);
    dnnl_engine_create(&engine, dnnl_cpu, 0);
    dnnl_stream_create(&stream, engine, dnnl_stream_default_flags);
    dnnl_dims_t dims = {n, c, h, w};
    dnnl_format_tag_t blocked = block == 16 ? dnnl_aBcd16b : dnnl_aBcd8b;
    dnnl_memory_desc_t plain, blocked32, blocked16;
    dnnl_memory_desc_init_by_tag(&plain, 4, dims, dnnl_f32, dnnl_abcd);
    dnnl_memory_desc_init_by_tag(&blocked32, 4, dims, dnnl_f32, blocked);
    dnnl_memory_desc_init_by_tag(&blocked16, 4, dims, dnnl_bf16, blocked);
    long count = n * c * h * w;
    float *source = aligned_alloc(64, count * 4), *target = aligned_alloc(64, count * 4);
    for (long i = 0; i < count; i++) source[i] = i * 1e-3f, target[i] = 1;

    enum { reps = 30 };
    for (int adding = !(block == 16 && neurossia_blocked_layout_available(16, 1)); adding <= 1; adding++) {
        dnnl_primitive_t theirs = adding ? reorder(&blocked32, &plain, 1) : reorder(&plain, &blocked16, 0);
        double oneDNN = 0, ours = 0;
        for (int r = 0; r < reps; r++) {
            double start = seconds();
            if (adding) run(theirs, &blocked32, source, &plain, target);
            else run(theirs, &plain, source, &blocked16, target);
            oneDNN += seconds() - start;
            start = seconds();
            if (adding) neurossia_add_from_blocked(source, target, n, c, h * w, block);
            else neurossia_to_blocked_bf16(source, (uint16_t *)target, n, c, h * w);
            ours += seconds() - start;
        }
        printf("%ldx%ldx%ldx%ld block %ld %-18s oneDNN %.2f Gvalues/s, ours %.2f: %.2fx\n", n, c, h, w, block,
               adding ? "blocked->f32 add" : "f32->bf16 blocked", count * reps / oneDNN / 1e9, count * reps / ours / 1e9,
               oneDNN / ours);
        dnnl_primitive_destroy(theirs);
    }
    free(source);
    free(target);
    return 0;
}
