// oneDNN's direct convolutions (see CConvolution.h). A shape's primitives and reorders are made once and
// cached; each call wraps the caller's pointers and workspace in memory objects and runs the
// reorder → kernel → reorder chain on the calling thread.
#include "BlockedLayout.h"
#include "CConvolution.h"
#include "DNNLCalls.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// A change of layout: none, oneDNN's reorder primitive, or ours where that rounds to bfloat16 or adds
/// (BlockedLayout.h: there ours runs 1.3–5× as fast; its plain copies are as fast as ours).
typedef struct {
    enum { SAME, PRIMITIVE, TO_BF16_BLOCKS, ADD_FROM_BLOCKS } way;
    dnnl_primitive_t primitive;
    long images, channels, plane, block;
} reorder_t;

/// A pass that maps one activation to another through the weights: forward (x → y) or backward data
/// (dy → dx). The kernel's layouts, the plain ones, and the reorders between them (`to_in` SAME where the
/// layouts are equal, `from_out` likewise; `adding_out` always changes, adding into the plain output).
typedef struct {
    int in_arg, out_arg;
    dnnl_memory_desc_t in, weights, out;
    const dnnl_memory_desc_t *plain_in, *plain_out;
    reorder_t to_in, to_weights, from_out, adding_out;
} mapping;

struct neurossia_conv {
    neurossia_conv_shape shape;
    const neurossia_conv *next;
    int supported;
    dnnl_primitive_t kernel[3]; // forward, backward data, backward weights
    // Plain float32 layouts: x [N, C, H, W], y [N, O, Ho, Wo], w [O, C, k, k].
    dnnl_memory_desc_t x, y, w;
    mapping maps[2]; // forward, backward data
    // Backward weights: what its kernel reads and writes, and the reorders from and to the plain layouts.
    dnnl_memory_desc_t weights_x, weights_dy, weights_dw;
    reorder_t to_weights_x, to_weights_dy, adding_weights_dw;
    dnnl_memory_desc_t scratchpad[3];
    char kernels[256];
};

static dnnl_engine_t engine;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static void make_engine(void) { neurossia_dnnl_check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine_create"); }

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static const neurossia_conv *cache;

static size_t bytes(const dnnl_memory_desc_t *md) { return dnnl_memory_desc_get_size(md); }

/// Whether `md` is float32 or bfloat16 [N, C, H, W] in the layout `tag`.
static int is_layout(const dnnl_memory_desc_t *md, dnnl_data_type_t type, dnnl_format_tag_t tag) {
    dnnl_memory_desc_t expected;
    return md->ndims == 4 && dnnl_memory_desc_init_by_tag(&expected, 4, md->dims, type, tag) == dnnl_success
        && dnnl_memory_desc_equal(md, &expected);
}

/// A reorder from `from` to `to`, adding into `to` when `add`; SAME when there is nothing to do.
static reorder_t reorder(const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to, int add) {
    if (!add && dnnl_memory_desc_equal(from, to)) return (reorder_t){.way = SAME};
    const dnnl_dim_t *dims = from->dims;
    int bf16 = to->data_type == dnnl_bf16;
    for (int block = 16; block >= 8 && from->ndims == 4; block /= 2) {
        dnnl_format_tag_t blocked = block == 16 ? dnnl_aBcd16b : dnnl_aBcd8b;
        reorder_t ours = {.images = dims[0], .channels = dims[1], .plane = dims[2] * dims[3], .block = block};
        if (dims[1] % block || !neurossia_blocked_layout_available(block, bf16)) continue;
        if (bf16 && !add && is_layout(from, dnnl_f32, dnnl_abcd) && is_layout(to, dnnl_bf16, blocked))
            return ours.way = TO_BF16_BLOCKS, ours;
        if (add && !bf16 && is_layout(from, dnnl_f32, blocked) && is_layout(to, dnnl_f32, dnnl_abcd))
            return ours.way = ADD_FROM_BLOCKS, ours;
    }
    dnnl_primitive_attr_t attr;
    neurossia_dnnl_check(dnnl_primitive_attr_create(&attr), "primitive_attr_create");
    // The library's own scratchpad is one per process in this build of oneDNN: two cores running reorders
    // at once would share it. `run` hands each call its thread's own instead.
    neurossia_dnnl_check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "set_scratchpad_mode");
    if (add) {
        dnnl_post_ops_t ops;
        neurossia_dnnl_check(dnnl_post_ops_create(&ops), "post_ops_create");
        neurossia_dnnl_check(dnnl_post_ops_append_sum(ops, 1.0f), "post_ops_append_sum");
        neurossia_dnnl_check(dnnl_primitive_attr_set_post_ops(attr, ops), "set_post_ops");
        dnnl_post_ops_destroy(ops);
    }
    dnnl_primitive_desc_t pd;
    neurossia_dnnl_check(dnnl_reorder_primitive_desc_create(&pd, from, engine, to, engine, attr), "reorder_primitive_desc_create");
    dnnl_primitive_t primitive;
    neurossia_dnnl_check(dnnl_primitive_create(&primitive, pd), "reorder primitive_create");
    dnnl_primitive_desc_destroy(pd);
    dnnl_primitive_attr_destroy(attr);
    return (reorder_t){.way = PRIMITIVE, .primitive = primitive};
}

static const dnnl_memory_desc_t *query(const_dnnl_primitive_desc_t pd, dnnl_query_t what) {
    return dnnl_primitive_desc_query_md(pd, what, 0);
}

static const char *name_of(const_dnnl_primitive_desc_t pd) {
    const char *name = NULL;
    neurossia_dnnl_check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name), "query impl_info_str");
    return name;
}

/// oneDNN's reference and im2col-GEMM convolutions are what Engine already does, slower.
static int is_jit(const_dnnl_primitive_desc_t pd) {
    const char *name = name_of(pd);
    return name && strncmp(name, "ref", 3) != 0 && strstr(name, "gemm") == NULL;
}

static void make_mapping(mapping *m, const_dnnl_primitive_desc_t pd, int in_arg, dnnl_query_t in, const dnnl_memory_desc_t *plain_in,
                         int out_arg, dnnl_query_t out, const dnnl_memory_desc_t *plain_out, const dnnl_memory_desc_t *plain_w) {
    *m = (mapping){.in_arg = in_arg, .out_arg = out_arg, .in = *query(pd, in), .weights = *query(pd, dnnl_query_weights_md),
                   .out = *query(pd, out), .plain_in = plain_in, .plain_out = plain_out};
    m->to_in = reorder(plain_in, &m->in, 0);
    m->to_weights = reorder(plain_w, &m->weights, 0);
    m->from_out = reorder(&m->out, plain_out, 0);
    m->adding_out = reorder(&m->out, plain_out, 1);
}

static void build(neurossia_conv *c) {
    const neurossia_conv_shape *s = &c->shape;
    long ho = (s->height + 2 * s->padding - s->kernel) / s->stride + 1;
    long wo = (s->width + 2 * s->padding - s->kernel) / s->stride + 1;
    dnnl_dims_t x_dims = {s->batch, s->channels, s->height, s->width}, y_dims = {s->batch, s->out_channels, ho, wo};
    dnnl_dims_t w_dims = {s->out_channels, s->channels, s->kernel, s->kernel};
    dnnl_dims_t strides = {s->stride, s->stride}, padding = {s->padding, s->padding};
    dnnl_data_type_t input = s->bf16 ? dnnl_bf16 : dnnl_f32;
    neurossia_dnnl_check(dnnl_memory_desc_init_by_tag(&c->x, 4, x_dims, dnnl_f32, dnnl_nchw), "memory_desc x");
    neurossia_dnnl_check(dnnl_memory_desc_init_by_tag(&c->y, 4, y_dims, dnnl_f32, dnnl_nchw), "memory_desc y");
    neurossia_dnnl_check(dnnl_memory_desc_init_by_tag(&c->w, 4, w_dims, dnnl_f32, dnnl_oihw), "memory_desc w");
    dnnl_memory_desc_t x_in, x_out, y_in, y_out, w_in, w_out;
    neurossia_dnnl_check(dnnl_memory_desc_init_by_tag(&x_in, 4, x_dims, input, dnnl_format_tag_any), "memory_desc");
    neurossia_dnnl_check(dnnl_memory_desc_init_by_tag(&x_out, 4, x_dims, dnnl_f32, dnnl_format_tag_any), "memory_desc");
    neurossia_dnnl_check(dnnl_memory_desc_init_by_tag(&y_in, 4, y_dims, input, dnnl_format_tag_any), "memory_desc");
    neurossia_dnnl_check(dnnl_memory_desc_init_by_tag(&y_out, 4, y_dims, dnnl_f32, dnnl_format_tag_any), "memory_desc");
    neurossia_dnnl_check(dnnl_memory_desc_init_by_tag(&w_in, 4, w_dims, input, dnnl_format_tag_any), "memory_desc");
    neurossia_dnnl_check(dnnl_memory_desc_init_by_tag(&w_out, 4, w_dims, dnnl_f32, dnnl_format_tag_any), "memory_desc");

    dnnl_primitive_attr_t attr;
    neurossia_dnnl_check(dnnl_primitive_attr_create(&attr), "primitive_attr_create");
    neurossia_dnnl_check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "set_scratchpad_mode");
    dnnl_convolution_desc_t forward, data, weights;
    dnnl_primitive_desc_t pd[3] = {NULL, NULL, NULL};
    neurossia_dnnl_check(dnnl_convolution_forward_desc_init(&forward, dnnl_forward_training, dnnl_convolution_direct, &x_in, &w_in,
                                                            NULL, &y_out, strides, padding, padding), "convolution_forward_desc_init");
    neurossia_dnnl_check(dnnl_convolution_backward_data_desc_init(&data, dnnl_convolution_direct, &x_out, &w_in, &y_in, strides,
                                                                  padding, padding), "convolution_backward_data_desc_init");
    neurossia_dnnl_check(dnnl_convolution_backward_weights_desc_init(&weights, dnnl_convolution_direct, &x_in, &w_out, NULL, &y_in,
                                                                     strides, padding, padding), "convolution_backward_weights_desc_init");
    c->supported = dnnl_primitive_desc_create(&pd[0], &forward, attr, engine, NULL) == dnnl_success
        && dnnl_primitive_desc_create(&pd[1], &data, attr, engine, pd[0]) == dnnl_success
        && dnnl_primitive_desc_create(&pd[2], &weights, attr, engine, pd[0]) == dnnl_success
        && is_jit(pd[0]) && is_jit(pd[1]) && is_jit(pd[2]);
    dnnl_primitive_attr_destroy(attr);
    if (c->supported) {
        snprintf(c->kernels, sizeof c->kernels, "%s | %s | %s", name_of(pd[0]), name_of(pd[1]), name_of(pd[2]));
        for (int i = 0; i < 3; i++) {
            neurossia_dnnl_check(dnnl_primitive_create(&c->kernel[i], pd[i]), "convolution primitive_create");
            c->scratchpad[i] = *query(pd[i], dnnl_query_scratchpad_md);
        }
        make_mapping(&c->maps[0], pd[0], DNNL_ARG_SRC, dnnl_query_src_md, &c->x, DNNL_ARG_DST, dnnl_query_dst_md, &c->y, &c->w);
        make_mapping(&c->maps[1], pd[1], DNNL_ARG_DIFF_DST, dnnl_query_diff_dst_md, &c->y, DNNL_ARG_DIFF_SRC, dnnl_query_diff_src_md,
                     &c->x, &c->w);
        c->weights_x = *query(pd[2], dnnl_query_src_md);
        c->weights_dw = *query(pd[2], dnnl_query_diff_weights_md);
        c->weights_dy = *query(pd[2], dnnl_query_diff_dst_md);
        c->to_weights_x = reorder(&c->x, &c->weights_x, 0);
        c->to_weights_dy = reorder(&c->y, &c->weights_dy, 0);
        c->adding_weights_dw = reorder(&c->weights_dw, &c->w, 1);
    }
    for (int i = 0; i < 3; i++) if (pd[i]) dnnl_primitive_desc_destroy(pd[i]);
}

/// Field by field: the struct's padding bytes are whatever the caller's stack held, so memcmp would miss
/// and make a new entry on every call.
static int same_shape(const neurossia_conv_shape *a, const neurossia_conv_shape *b) {
    return a->batch == b->batch && a->channels == b->channels && a->height == b->height && a->width == b->width
        && a->out_channels == b->out_channels && a->kernel == b->kernel && a->stride == b->stride && a->padding == b->padding
        && a->bf16 == b->bf16;
}

const neurossia_conv *neurossia_conv_prepare(const neurossia_conv_shape *shape) {
    neurossia_dnnl_single_threaded(); // kernels size their thread teams when made
    pthread_once(&engine_once, make_engine);
    pthread_mutex_lock(&cache_lock);
    const neurossia_conv *found = cache;
    while (found && !same_shape(&found->shape, shape)) found = found->next;
    if (!found) {
        neurossia_conv *made = calloc(1, sizeof *made);
        if (!made) {
            fprintf(stderr, "neurossia: out of memory for a convolution's primitives\n");
            abort();
        }
        made->shape = *shape;
        build(made);
        made->next = cache;
        cache = found = made;
    }
    pthread_mutex_unlock(&cache_lock);
    return found->supported ? found : NULL;
}

const char *neurossia_conv_kernels(const neurossia_conv *conv) { return conv->kernels; }

long neurossia_conv_weights_bytes(const neurossia_conv *conv, int pass) { return (long)bytes(&conv->maps[pass].weights); }

/// The caller's workspace, handed out front to back in 64-byte-aligned pieces.
typedef struct {
    char *next;
} room;

static size_t rounded(size_t count) { return (count + 63) & ~(size_t)63; }

static void *take(room *r, size_t count) {
    void *piece = r->next;
    r->next += rounded(count);
    return piece;
}

/// Room for an operand converted by `r` into `to`: none where it is read as it is.
static size_t converted_bytes(const reorder_t *r, const dnnl_memory_desc_t *to) { return r->way != SAME ? rounded(bytes(to)) : 0; }

/// Room `pass`'s kernel takes beyond its converted inputs: its output in the kernel's layout, and its scratchpad.
static size_t kernel_bytes(const neurossia_conv *c, int pass) {
    const dnnl_memory_desc_t *out = pass == NEUROSSIA_CONV_BACKWARD_WEIGHTS ? &c->weights_dw : &c->maps[pass].out;
    return rounded(bytes(out)) + rounded(bytes(&c->scratchpad[pass]) + 1);
}

long neurossia_conv_workspace_bytes(const neurossia_conv *c, int pass) {
    if (pass == NEUROSSIA_CONV_BACKWARD_WEIGHTS)
        return (long)(converted_bytes(&c->to_weights_x, &c->weights_x) + converted_bytes(&c->to_weights_dy, &c->weights_dy)
                      + kernel_bytes(c, pass));
    return (long)(converted_bytes(&c->maps[pass].to_in, &c->maps[pass].in) + kernel_bytes(c, pass));
}

static __thread dnnl_stream_t stream;

static dnnl_memory_t wrap(const dnnl_memory_desc_t *md, const void *pointer) {
    dnnl_memory_t memory;
    neurossia_dnnl_check(dnnl_memory_create(&memory, md, engine, (void *)pointer), "memory_create");
    return memory;
}

/// This thread's scratchpad for reorders, grown as needed and kept.
static __thread void *reorder_scratchpad;
static __thread size_t reorder_scratchpad_bytes;

/// Runs `primitive` on `count` (argument, descriptor, pointer) triples, then releases the wrappers. A
/// reorder (which is given no scratchpad) that wants one gets this thread's.
static void run(dnnl_primitive_t primitive, int count, const int *arguments, const dnnl_memory_desc_t *const *mds,
                const void *const *pointers) {
    if (!stream) neurossia_dnnl_check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags), "stream_create");
    dnnl_exec_arg_t args[5];
    for (int i = 0; i < count; i++) args[i] = (dnnl_exec_arg_t){arguments[i], wrap(mds[i], pointers[i])};
    int total = count;
    if (count == 2) {
        const_dnnl_primitive_desc_t pd;
        neurossia_dnnl_check(dnnl_primitive_get_primitive_desc(primitive, &pd), "get_primitive_desc");
        const dnnl_memory_desc_t *scratchpad = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        size_t needed = scratchpad ? dnnl_memory_desc_get_size(scratchpad) : 0;
        if (needed > 0) {
            if (needed > reorder_scratchpad_bytes) {
                free(reorder_scratchpad);
                reorder_scratchpad = aligned_alloc(64, (needed + 63) & ~(size_t)63);
                if (!reorder_scratchpad) {
                    fprintf(stderr, "neurossia: out of memory for a reorder's scratchpad\n");
                    abort();
                }
                reorder_scratchpad_bytes = needed;
            }
            args[total++] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, wrap(scratchpad, reorder_scratchpad)};
        }
    }
    neurossia_dnnl_check(dnnl_primitive_execute(primitive, stream, total, args), "primitive_execute");
    neurossia_dnnl_check(dnnl_stream_wait(stream), "stream_wait");
    for (int i = 0; i < total; i++) dnnl_memory_destroy(args[i].memory);
}

/// `source` (layout `from`) into `target` (layout `to`) as `r` says, which is not SAME.
static void change(const reorder_t *r, const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to, const void *source, void *target) {
    switch (r->way) {
    case TO_BF16_BLOCKS: return neurossia_to_blocked_bf16(source, target, r->images, r->channels, r->plane);
    case ADD_FROM_BLOCKS: return neurossia_add_from_blocked(source, target, r->images, r->channels, r->plane, r->block);
    default:
        run(r->primitive, 2, (int[]){DNNL_ARG_FROM, DNNL_ARG_TO}, (const dnnl_memory_desc_t *[]){from, to},
            (const void *[]){source, target});
    }
}

/// `pointer` in layout `to`: reordered from `from` into the workspace, or itself when no reorder is needed.
static const void *converted(const reorder_t *r, const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to,
                             const void *pointer, room *workspace) {
    if (r->way == SAME) return pointer;
    void *room = take(workspace, bytes(to));
    change(r, from, to, pointer, room);
    return room;
}

static void kernel(const neurossia_conv *c, room *workspace, int pass, int a, const dnnl_memory_desc_t *a_md, const void *a_pointer,
                   int b, const dnnl_memory_desc_t *b_md, const void *b_pointer,
                   int out, const dnnl_memory_desc_t *out_md, void *out_pointer) {
    void *scratchpad = take(workspace, bytes(&c->scratchpad[pass]) + 1);
    run(c->kernel[pass], 4, (int[]){a, b, out, DNNL_ARG_SCRATCHPAD},
        (const dnnl_memory_desc_t *[]){a_md, b_md, out_md, &c->scratchpad[pass]},
        (const void *[]){a_pointer, b_pointer, out_pointer, scratchpad});
}

void neurossia_conv_pack_weights(const neurossia_conv *conv, int pass, const float *w, void *packed) {
    neurossia_dnnl_single_threaded();
    const mapping *m = &conv->maps[pass];
    if (m->to_weights.way == SAME) return (void)memcpy(packed, w, bytes(&m->weights));
    change(&m->to_weights, &conv->w, &m->weights, w, packed);
}

/// `pass` on its input already in the kernel's layout (`source`): the kernel, then its output back into
/// the plain `out`, written or added.
static void map_converted(const neurossia_conv *c, int pass, const void *source, const void *packed, float *out, int add, room *r) {
    const mapping *m = &c->maps[pass];
    const reorder_t *back = add ? &m->adding_out : &m->from_out;
    void *target = back->way == SAME ? out : take(r, bytes(&m->out));
    kernel(c, r, pass, m->in_arg, &m->in, source, DNNL_ARG_WEIGHTS, &m->weights, packed, m->out_arg, &m->out, target);
    if (back->way != SAME) change(back, &m->out, m->plain_out, target, out);
}

void neurossia_conv_map(const neurossia_conv *c, int pass, const float *in, const void *packed, float *out, int add,
                        void *workspace) {
    neurossia_dnnl_single_threaded();
    const mapping *m = &c->maps[pass];
    room r = {workspace};
    map_converted(c, pass, converted(&m->to_in, m->plain_in, &m->in, in, &r), packed, out, add, &r);
}

/// The weight gradient from x and dy converted into its kernel's layouts, added into the plain dw.
static void weights_converted(const neurossia_conv *c, const void *src, const void *diff_dst, float *dw, room *r) {
    void *diff_weights = take(r, bytes(&c->weights_dw));
    kernel(c, r, 2, DNNL_ARG_SRC, &c->weights_x, src, DNNL_ARG_DIFF_DST, &c->weights_dy, diff_dst, DNNL_ARG_DIFF_WEIGHTS,
           &c->weights_dw, diff_weights);
    change(&c->adding_weights_dw, &c->weights_dw, &c->w, diff_weights, dw);
}

void neurossia_conv_backward_weights(const neurossia_conv *c, const float *x, const float *dy, float *dw, void *workspace) {
    neurossia_dnnl_single_threaded();
    room r = {workspace};
    const void *src = converted(&c->to_weights_x, &c->x, &c->weights_x, x, &r);
    weights_converted(c, src, converted(&c->to_weights_dy, &c->y, &c->weights_dy, dy, &r), dw, &r);
}

/// The weight-gradient kernel's layout of `pass`'s input: x's for forward, dy's for backward data.
static const dnnl_memory_desc_t *weights_side(const neurossia_conv *c, int pass) {
    return pass == NEUROSSIA_CONV_FORWARD ? &c->weights_x : &c->weights_dy;
}

int neurossia_conv_shares_input(const neurossia_conv *c, int pass) {
    return dnnl_memory_desc_equal(weights_side(c, pass), &c->maps[pass].in);
}

long neurossia_conv_weights_and_map_workspace_bytes(const neurossia_conv *c, int pass) {
    return neurossia_conv_workspace_bytes(c, NEUROSSIA_CONV_BACKWARD_WEIGHTS) + (long)kernel_bytes(c, pass);
}

void neurossia_conv_weights_and_map(const neurossia_conv *c, int pass, const float *x, const float *dy, float *dw, const void *packed,
                                    float *out, int add, void *workspace) {
    neurossia_dnnl_single_threaded();
    room r = {workspace};
    const void *src = converted(&c->to_weights_x, &c->x, &c->weights_x, x, &r);
    const void *diff_dst = converted(&c->to_weights_dy, &c->y, &c->weights_dy, dy, &r);
    weights_converted(c, src, diff_dst, dw, &r);
    map_converted(c, pass, pass == NEUROSSIA_CONV_FORWARD ? src : diff_dst, packed, out, add, &r);
}
