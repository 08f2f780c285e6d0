// Open MPI's C ABI as far as Neurossia uses it, resolved at run time. The handles (MPI_COMM_WORLD,
// MPI_FLOAT, MPI_SUM, ...) are in Open MPI the addresses of global objects (ompi_mpi_comm_world, ...),
// so dlsym finds them; MPI_Status is five words whose first three are source, tag and error. This is
// Open MPI's ABI only (MPICH's handles are integers); activation checks OMPI_COMM_WORLD_SIZE anyway.
#define _GNU_SOURCE
#include "CMPI.h"
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void *handle;
typedef struct { int source, tag, error, cancelled; size_t count; } ompi_status;

#define IN_PLACE ((void *)1)
#define ANY_SOURCE (-1)
#define THREAD_SERIALIZED 2
#define MAX_ERROR_STRING 256

static struct {
    int (*init_thread)(int *, char ***, int, int *);
    int (*comm_rank)(handle, int *);
    int (*comm_size)(handle, int *);
    int (*allreduce)(const void *, void *, int, handle, handle, handle);
    int (*bcast)(void *, int, handle, int, handle);
    int (*barrier)(handle);
    int (*send)(const void *, int, handle, int, int, handle);
    int (*recv)(void *, int, handle, int, int, handle, ompi_status *);
    int (*iprobe)(int, int, handle, int *, ompi_status *);
    int (*probe)(int, int, handle, ompi_status *);
    int (*get_count)(const ompi_status *, handle, int *);
    int (*abort)(handle, int);
    int (*finalize)(void);
    int (*error_string)(int, char *, int *);
    int (*set_errhandler)(handle, handle);
    handle world, byte, float32, float64, sum, errors_return;
} mpi;

static int resolve(void *library, const char *name, void **into, char *error, size_t length) {
    *into = dlsym(library, name);
    if (*into) return 0;
    snprintf(error, length, "%s lacks %s (is it Open MPI?)", "libmpi", name);
    return -1;
}

int neurossia_mpi_load(char *error, size_t length) {
    const char *names[] = {getenv("NEUROSSIA_LIBMPI"), "libmpi.so.40", "libmpi.so", NULL};
    void *library = NULL;
    for (int i = 0; i < 3 && !library; i++) {
        // RTLD_GLOBAL: Open MPI's own plug-ins (loaded later by MPI_Init) link against libmpi's symbols.
        if (names[i]) library = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
    }
    if (!library) {
        snprintf(error, length, "cannot load Open MPI's libmpi (%s); install openmpi-bin and libopenmpi-dev", dlerror());
        return -1;
    }
    struct { const char *name; void **into; } symbols[] = {
        {"MPI_Init_thread", (void **)&mpi.init_thread}, {"MPI_Comm_rank", (void **)&mpi.comm_rank},
        {"MPI_Comm_size", (void **)&mpi.comm_size}, {"MPI_Allreduce", (void **)&mpi.allreduce},
        {"MPI_Bcast", (void **)&mpi.bcast}, {"MPI_Barrier", (void **)&mpi.barrier},
        {"MPI_Send", (void **)&mpi.send}, {"MPI_Recv", (void **)&mpi.recv},
        {"MPI_Iprobe", (void **)&mpi.iprobe}, {"MPI_Probe", (void **)&mpi.probe},
        {"MPI_Get_count", (void **)&mpi.get_count}, {"MPI_Abort", (void **)&mpi.abort},
        {"MPI_Finalize", (void **)&mpi.finalize}, {"MPI_Error_string", (void **)&mpi.error_string},
        {"MPI_Comm_set_errhandler", (void **)&mpi.set_errhandler},
        {"ompi_mpi_comm_world", &mpi.world}, {"ompi_mpi_byte", &mpi.byte}, {"ompi_mpi_float", &mpi.float32},
        {"ompi_mpi_double", &mpi.float64}, {"ompi_mpi_op_sum", &mpi.sum},
        {"ompi_mpi_errors_return", &mpi.errors_return},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        if (resolve(library, symbols[i].name, symbols[i].into, error, length)) return -1;
    }
    return 0;
}

int neurossia_mpi_init(void) {
    // A rank waiting in a collective (while rank 0 writes a checkpoint, or for a slower rank) polls;
    // yielding as it polls lets ranks that share a machine's cores have them. A user's setting stands.
    setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0);
    int provided = 0;
    int status = mpi.init_thread(NULL, NULL, THREAD_SERIALIZED, &provided);
    if (status) return status;
    return mpi.set_errhandler(mpi.world, mpi.errors_return);
}

int neurossia_mpi_rank(int *rank) { return mpi.comm_rank(mpi.world, rank); }
int neurossia_mpi_size(int *size) { return mpi.comm_size(mpi.world, size); }

/// MPI counts are ints: larger buffers go in pieces of 2^30 elements.
static const size_t piece = (size_t)1 << 30;

static int sum(void *data, size_t count, handle type, size_t size) {
    for (size_t done = 0; done < count; done += piece) {
        size_t n = count - done < piece ? count - done : piece;
        int status = mpi.allreduce(IN_PLACE, (char *)data + done * size, (int)n, type, mpi.sum, mpi.world);
        if (status) return status;
    }
    return 0;
}

int neurossia_mpi_sum_floats(float *data, size_t count) { return sum(data, count, mpi.float32, sizeof *data); }

int neurossia_mpi_sum_doubles(double *data, size_t count) { return sum(data, count, mpi.float64, sizeof *data); }

int neurossia_mpi_broadcast(void *data, size_t bytes, int root) {
    for (size_t done = 0; done < bytes; done += piece) {
        size_t n = bytes - done < piece ? bytes - done : piece;
        int status = mpi.bcast((char *)data + done, (int)n, mpi.byte, root, mpi.world);
        if (status) return status;
    }
    return 0;
}

int neurossia_mpi_barrier(void) { return mpi.barrier(mpi.world); }

int neurossia_mpi_send(const void *data, size_t bytes, int to, int tag) {
    if (bytes > INT_MAX) return -1;
    return mpi.send(data, (int)bytes, mpi.byte, to, tag, mpi.world);
}

static int measured(const ompi_status *status, int *source, size_t *bytes) {
    int count = 0;
    int result = mpi.get_count(status, mpi.byte, &count);
    *source = status->source;
    *bytes = (size_t)count;
    return result;
}

int neurossia_mpi_poll(int tag, int *waiting, int *source, size_t *bytes) {
    ompi_status status;
    int result = mpi.iprobe(ANY_SOURCE, tag, mpi.world, waiting, &status);
    if (result || !*waiting) return result;
    return measured(&status, source, bytes);
}

int neurossia_mpi_probe(int from, int tag, int *source, size_t *bytes) {
    ompi_status status;
    int result = mpi.probe(from, tag, mpi.world, &status);
    return result ? result : measured(&status, source, bytes);
}

int neurossia_mpi_receive(void *data, size_t bytes, int from, int tag) {
    if (bytes > INT_MAX) return -1;
    ompi_status status;
    return mpi.recv(data, (int)bytes, mpi.byte, from, tag, mpi.world, &status);
}

void neurossia_mpi_abort(int code) { mpi.abort(mpi.world, code); }

int neurossia_mpi_finalize(void) { return mpi.finalize(); }

const char *neurossia_mpi_error_text(int code) {
    static char text[MAX_ERROR_STRING];
    int length = 0;
    if (code < 0 || !mpi.error_string || mpi.error_string(code, text, &length)) {
        snprintf(text, sizeof text, "MPI error %d", code);
    }
    return text;
}
