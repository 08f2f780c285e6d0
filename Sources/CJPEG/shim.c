#include "CJPEG.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

_Static_assert(JMSG_LENGTH_MAX <= CJPEG_MESSAGE_LENGTH, "libjpeg messages must fit cjpeg_outcome.message");

/// Progressive files with thousands of scans decode for minutes; real ones have about ten.
#define CJPEG_MAX_SCANS 1000

/// libjpeg's error manager extended with the way back to the caller and what went wrong.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    int saw_premature_end;
    cjpeg_outcome *outcome;
} guarded_errors;

static void record_message(j_common_ptr cinfo) {
    guarded_errors *errors = (guarded_errors *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, errors->outcome->message);
}

/// Replaces libjpeg's error_exit, which prints and calls exit(): keep the message and jump back.
/// After a premature end the error is only its consequence, so the end-of-data message is kept.
static void escape_on_error(j_common_ptr cinfo) {
    guarded_errors *errors = (guarded_errors *)cinfo->err;
    if (!errors->saw_premature_end) record_message(cinfo);
    errors->outcome->status = CJPEG_FAILED;
    longjmp(errors->escape, 1);
}

/// Warnings are silent, except the end-of-data one, which later turns the result into CJPEG_TRUNCATED.
static void collect_warning(j_common_ptr cinfo, int level) {
    guarded_errors *errors = (guarded_errors *)cinfo->err;
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF && !errors->saw_premature_end) {
        errors->saw_premature_end = 1;
        record_message(cinfo);
    }
}

static void limit_scans(j_common_ptr cinfo) {
    j_decompress_ptr dinfo = (j_decompress_ptr)cinfo;
    if (dinfo->input_scan_number > CJPEG_MAX_SCANS) {
        guarded_errors *errors = (guarded_errors *)cinfo->err;
        snprintf(errors->outcome->message, CJPEG_MESSAGE_LENGTH, "more than %d progressive scans", CJPEG_MAX_SCANS);
        errors->outcome->status = CJPEG_FAILED;
        longjmp(errors->escape, 1);
    }
}

static void install_guard(guarded_errors *errors, cjpeg_outcome *outcome) {
    jpeg_std_error(&errors->base);
    errors->base.error_exit = escape_on_error;
    errors->base.emit_message = collect_warning;
    errors->saw_premature_end = 0;
    errors->outcome = outcome;
}

/// One row of CMYK to RGB. Adobe writers store inverted ink (255 = none), so white is
/// C=M=Y=K=255 there and 0 elsewhere; RGB = (1 - C)(1 - K) in ink terms.
static void cmyk_row_to_rgb(const JSAMPLE *cmyk, unsigned char *rgb, unsigned int width, int inverted) {
    for (unsigned int x = 0; x < width; x++, cmyk += 4, rgb += 3) {
        unsigned int k = inverted ? cmyk[3] : 255u - cmyk[3];
        for (int c = 0; c < 3; c++) {
            unsigned int paper = inverted ? cmyk[c] : 255u - cmyk[c];
            rgb[c] = (unsigned char)((paper * k + 127u) / 255u);
        }
    }
}

cjpeg_outcome cjpeg_decode_rgb(const unsigned char *data, size_t size, unsigned long long max_pixels,
                               unsigned char **rgb) {
    cjpeg_outcome outcome = {CJPEG_OK, 0, 0, {0}};
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress = {limit_scans, 0, 0, 0, 0};
    guarded_errors errors;
    unsigned char *volatile pixels = NULL;
    JSAMPLE *volatile cmyk_row = NULL;
    *rgb = NULL;

    install_guard(&errors, &outcome);
    cinfo.err = &errors.base;
    if (setjmp(errors.escape)) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        free(cmyk_row);
        if (errors.saw_premature_end) outcome.status = CJPEG_TRUNCATED;
        return outcome;
    }
    jpeg_create_decompress(&cinfo);
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    outcome.width = cinfo.image_width;
    outcome.height = cinfo.image_height;
    if ((unsigned long long)cinfo.image_width * cinfo.image_height > max_pixels) {
        outcome.status = CJPEG_TOO_LARGE;
        jpeg_destroy_decompress(&cinfo);
        return outcome;
    }

    int is_cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    cinfo.out_color_space = is_cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&cinfo);

    size_t row_bytes = (size_t)cinfo.output_width * 3;
    pixels = malloc(row_bytes * cinfo.output_height);
    if (is_cmyk) cmyk_row = malloc((size_t)cinfo.output_width * 4);
    if (!pixels || (is_cmyk && !cmyk_row)) {
        outcome.status = CJPEG_OUT_OF_MEMORY;
        longjmp(errors.escape, 1);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        unsigned char *row = pixels + row_bytes * cinfo.output_scanline;
        JSAMPROW target = is_cmyk ? cmyk_row : row;
        jpeg_read_scanlines(&cinfo, &target, 1);
        if (is_cmyk) cmyk_row_to_rgb(cmyk_row, row, cinfo.output_width, cinfo.saw_Adobe_marker);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(cmyk_row);

    if (errors.saw_premature_end) {
        outcome.status = CJPEG_TRUNCATED;
        free(pixels);
        return outcome;
    }
    *rgb = pixels;
    return outcome;
}

cjpeg_outcome cjpeg_encode_rgb(const unsigned char *rgb, unsigned int width, unsigned int height, int quality,
                               unsigned char **jpeg, size_t *jpeg_size) {
    cjpeg_outcome outcome = {CJPEG_OK, width, height, {0}};
    struct jpeg_compress_struct cinfo;
    guarded_errors errors;
    unsigned long written = 0;
    *jpeg = NULL;
    *jpeg_size = 0;

    install_guard(&errors, &outcome);
    cinfo.err = &errors.base;
    if (setjmp(errors.escape)) {
        jpeg_destroy_compress(&cinfo);
        free(*jpeg);
        *jpeg = NULL;
        return outcome;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, jpeg, &written);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    size_t row_bytes = (size_t)width * 3;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(rgb + row_bytes * cinfo.next_scanline);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *jpeg_size = written;
    return outcome;
}

void cjpeg_free(void *buffer) { free(buffer); }
