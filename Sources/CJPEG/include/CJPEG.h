/// A setjmp-guarded bridge to libjpeg(-turbo), whose default error handler would exit the process.
#ifndef CJPEG_H
#define CJPEG_H

#include <stddef.h>

/// Room for one formatted libjpeg message (libjpeg's own JMSG_LENGTH_MAX).
#define CJPEG_MESSAGE_LENGTH 200

typedef enum {
    CJPEG_OK = 0,
    /// The data ended early ("Premature end of JPEG file"); libjpeg would have padded it with grey.
    CJPEG_TRUNCATED = 1,
    /// width·height exceeds the caller's limit; found from the header, before any pixel memory.
    CJPEG_TOO_LARGE = 2,
    /// libjpeg refused the data or the parameters; `message` says why.
    CJPEG_FAILED = 3,
    CJPEG_OUT_OF_MEMORY = 4,
} cjpeg_status;

typedef struct {
    cjpeg_status status;
    /// Image size from the header, when the header could be read.
    unsigned int width;
    unsigned int height;
    /// libjpeg's formatted message for the failure, NUL-terminated; empty on success.
    char message[CJPEG_MESSAGE_LENGTH];
} cjpeg_outcome;

/// Decodes a whole JPEG in memory to interleaved 8-bit RGB, [height, width, 3].
/// Greyscale is expanded, CMYK and YCCK are converted (Adobe inverted CMYK honoured).
/// On CJPEG_OK `*rgb` holds a malloc'd buffer the caller frees with `cjpeg_free`; otherwise it is NULL.
cjpeg_outcome cjpeg_decode_rgb(const unsigned char *data, size_t size, unsigned long long max_pixels,
                               unsigned char **rgb);

/// Encodes interleaved 8-bit RGB, [height, width, 3], as a baseline JPEG of the given quality (1–100).
/// On CJPEG_OK `*jpeg` holds `*jpeg_size` malloc'd bytes the caller frees with `cjpeg_free`.
cjpeg_outcome cjpeg_encode_rgb(const unsigned char *rgb, unsigned int width, unsigned int height, int quality,
                               unsigned char **jpeg, size_t *jpeg_size);

void cjpeg_free(void *buffer);

#endif
