#ifndef NEUROSSIA_CMPI_H
#define NEUROSSIA_CMPI_H

#include <stddef.h>

// Open MPI reached through dlopen, so that a build and a run without Open MPI installed work unchanged.
// Every call returns 0 on success or an MPI error code (see neurossia_mpi_error_text).

/// Loads libmpi (NEUROSSIA_LIBMPI, else libmpi.so.40, else libmpi.so) and resolves what Neurossia uses.
/// Returns 0, or -1 with the reason in `error`.
int neurossia_mpi_load(char *error, size_t length);
/// MPI_Init_thread at MPI_THREAD_SERIALIZED, waiting ranks yielding their core, errors returned to the
/// caller rather than aborting.
int neurossia_mpi_init(void);
int neurossia_mpi_rank(int *rank);
int neurossia_mpi_size(int *size);
/// In-place sums over every rank of `count` floats or doubles (any count; sent in pieces below 2^31).
int neurossia_mpi_sum_floats(float *data, size_t count);
int neurossia_mpi_sum_doubles(double *data, size_t count);
/// `bytes` bytes from `root` to every rank.
int neurossia_mpi_broadcast(void *data, size_t bytes, int root);
int neurossia_mpi_barrier(void);
/// A message of bytes to rank `to` under `tag`.
int neurossia_mpi_send(const void *data, size_t bytes, int to, int tag);
/// Whether a message with `tag` from any rank is waiting (without waiting); its sender and size.
int neurossia_mpi_poll(int tag, int *waiting, int *source, size_t *bytes);
/// Waits for a message with `tag` from `from` (-1: any rank); its sender and size.
int neurossia_mpi_probe(int from, int tag, int *source, size_t *bytes);
/// Receives the message found by poll or probe into `data` (at least its size).
int neurossia_mpi_receive(void *data, size_t bytes, int from, int tag);
/// Ends every rank of the job.
void neurossia_mpi_abort(int code);
int neurossia_mpi_finalize(void);
/// The library's text for an error code.
const char *neurossia_mpi_error_text(int code);

#endif
