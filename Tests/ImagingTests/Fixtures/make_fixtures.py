#!/usr/bin/env python3
"""Makes the ImagingTests fixtures and the pixels they must decode to.

PNGs are assembled chunk by chunk here (struct + zlib), so every colour type and bit depth is exactly
what the tests claim; Pillow decodes each 8-bit one back as a cross-check. JPEGs are written and
decoded by Pillow. Expected pixels go to expected.json as planar [3, H, W]: for PNGs floats in
[0, 1] (six decimals) composited over BACKGROUND with straight alpha, for JPEGs Pillow's 8-bit values. Run from this folder: python3 make_fixtures.py
"""
import io
import json
import struct
import subprocess
import zlib

import numpy as np
from PIL import Image

BACKGROUND = (0.2, 0.4, 0.6)
W, H = 7, 5
rng = np.random.default_rng(20240611)
expected = {"background": BACKGROUND, "png": {}, "jpeg": {}}


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width, height, depth, colour_type, rows, extra=b""):
    """rows: the raw scanlines, already packed to `depth` bits, without filter bytes."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    image = zlib.compress(b"".join(b"\0" + row for row in rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", image) + chunk(b"IEND", b"")


def planar(rgba):
    """[H, W, 4] floats -> composited planar [3, H, W] list."""
    alpha = rgba[..., 3:4]
    rgb = alpha * rgba[..., :3] + (1 - alpha) * np.array(BACKGROUND)
    return [round(v, 6) for v in rgb.transpose(2, 0, 1).reshape(-1).tolist()]


def save_png(name, data, rgba8):
    """rgba8: [H, W, 4] the 8-bit straight RGBA the file must decode to."""
    open(name, "wb").write(data)
    expected["png"][name] = {"width": rgba8.shape[1], "height": rgba8.shape[0], "pixels": planar(rgba8 / 255.0)}


def to8(values16):
    return np.round(values16 / 257.0).astype(np.int64)


def pack(samples, depth):
    """One row of integer samples packed big-endian at `depth` bits."""
    if depth == 16:
        return samples.astype(">u2").tobytes()
    if depth == 8:
        return samples.astype(np.uint8).tobytes()
    bits = "".join(format(int(s), f"0{depth}b") for s in samples)
    bits += "0" * (-len(bits) % 8)
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))


def with_alpha(rgb, alpha=None):
    a = np.full(rgb.shape[:2] + (1,), 255) if alpha is None else alpha[..., None]
    return np.concatenate([rgb, a], axis=2)


def check_with_pillow(name, rgba8):
    decoded = np.asarray(Image.open(name).convert("RGBA")).astype(np.int64)
    assert (decoded == rgba8).all(), f"Pillow decodes {name} differently"


# Grey 1, 8, 16 bits; grey + alpha 8, 16 bits.
grey1 = rng.integers(0, 2, (H, W))
rgba = with_alpha(np.repeat((grey1 * 255)[..., None], 3, 2))
save_png("grey1.png", png_bytes(W, H, 1, 0, [pack(r, 1) for r in grey1]), rgba)
check_with_pillow("grey1.png", rgba)

grey8 = np.arange(W * H).reshape(H, W) * 7 + 3
rgba = with_alpha(np.repeat(grey8[..., None], 3, 2))
save_png("grey8.png", png_bytes(W, H, 8, 0, [pack(r, 8) for r in grey8]), rgba)
check_with_pillow("grey8.png", rgba)

grey16 = rng.integers(0, 65536, (H, W))
save_png("grey16.png", png_bytes(W, H, 16, 0, [pack(r, 16) for r in grey16]),
         with_alpha(np.repeat(to8(grey16)[..., None], 3, 2)))

alpha8 = rng.integers(0, 256, (H, W))
alpha8[0, :3] = [0, 255, 128]
rows = [pack(np.stack([g, a], 1).reshape(-1), 8) for g, a in zip(grey8, alpha8)]
rgba = with_alpha(np.repeat(grey8[..., None], 3, 2), alpha8)
save_png("greyalpha8.png", png_bytes(W, H, 8, 4, rows), rgba)
check_with_pillow("greyalpha8.png", rgba)

alpha16 = rng.integers(0, 65536, (H, W))
rows = [pack(np.stack([g, a], 1).reshape(-1), 16) for g, a in zip(grey16, alpha16)]
save_png("greyalpha16.png", png_bytes(W, H, 16, 4, rows),
         with_alpha(np.repeat(to8(grey16)[..., None], 3, 2), to8(alpha16)))

# RGB and RGBA, 8 and 16 bits.
rgb8 = rng.integers(0, 256, (H, W, 3))
rgba = with_alpha(rgb8)
save_png("rgb8.png", png_bytes(W, H, 8, 2, [pack(r.reshape(-1), 8) for r in rgb8]), rgba)
check_with_pillow("rgb8.png", rgba)

rgb16 = rng.integers(0, 65536, (H, W, 3))
save_png("rgb16.png", png_bytes(W, H, 16, 2, [pack(r.reshape(-1), 16) for r in rgb16]), with_alpha(to8(rgb16)))

rgba8 = with_alpha(rgb8, alpha8)
save_png("rgba8.png", png_bytes(W, H, 8, 6, [pack(r.reshape(-1), 8) for r in rgba8]), rgba8)
check_with_pillow("rgba8.png", rgba8)

rgba16 = np.concatenate([rgb16, alpha16[..., None]], 2)
save_png("rgba16.png", png_bytes(W, H, 16, 6, [pack(r.reshape(-1), 16) for r in rgba16]), to8(rgba16))

# Palettes, 8 and 4 bits, with a tRNS chunk giving the first entries alpha.
palette = rng.integers(0, 256, (16, 3))
palette_alpha = np.array([0, 77, 200])
indices = rng.integers(0, 16, (H, W))
indices[0, :3] = [0, 1, 2]
plte = chunk(b"PLTE", palette.astype(np.uint8).tobytes()) + chunk(b"tRNS", palette_alpha.astype(np.uint8).tobytes())
entry_alpha = np.concatenate([palette_alpha, np.full(13, 255)])
rgba = with_alpha(palette[indices], entry_alpha[indices])
for depth in (8, 4):
    name = f"palette{depth}.png"
    save_png(name, png_bytes(W, H, depth, 3, [pack(r, depth) for r in indices], plte), rgba)
    check_with_pillow(name, rgba)

# Adam7 interlacing, re-encoded by ImageMagick from the plain RGBA file.
subprocess.run(["convert", "rgba8.png", "-strip", "-interlace", "PNG", "-define", "png:color-type=6", "interlaced.png"], check=True)
assert open("interlaced.png", "rb").read()[28] == 1, "ImageMagick did not interlace"
save_png("interlaced.png", open("interlaced.png", "rb").read(), rgba8)
check_with_pillow("interlaced.png", rgba8)

# A PNG under a JPEG name: the content decides.
open("png-named.jpg", "wb").write(open("rgb8.png", "rb").read())

# JPEGs: a smooth picture with some edges, 32×24, stored and decoded by Pillow.
JW, JH = 32, 24
y, x = np.mgrid[0:JH, 0:JW]
photo = np.stack([x * 255 / (JW - 1), y * 255 / (JH - 1), 128 + 100 * np.sin(x / 4.0 + y / 5.0)], 2)
photo[4:10, 20:28] = [250, 30, 40]
photo = Image.fromarray(np.clip(np.round(photo), 0, 255).astype(np.uint8), "RGB")
jpegs = {
    "baseline.jpg": (photo, {"quality": 95}),
    "progressive.jpg": (photo, {"quality": 95, "progressive": True}),
    "grey.jpg": (photo.convert("L"), {"quality": 95}),
    "cmyk.jpg": (photo.convert("CMYK"), {"quality": 95}),
}
for name, (picture, options) in jpegs.items():
    picture.save(name, **options)
    decoded = Image.open(name)
    assert decoded.mode == picture.mode
    rgb = np.asarray(decoded.convert("RGB")).astype(int)
    expected["jpeg"][name] = {"width": JW, "height": JH, "pixels": rgb.transpose(2, 0, 1).reshape(-1).tolist()}
assert b"Adobe" in open("cmyk.jpg", "rb").read(), "the CMYK fixture should carry an Adobe marker"

# Bad files, one per error reason.
open("empty.png", "wb").close()
rgb8_png = open("rgb8.png", "rb").read()
open("truncated.png", "wb").write(rgb8_png[: len(rgb8_png) // 2])
corrupt = bytearray(rgb8_png)
corrupt[rgb8_png.index(b"IEND") - 5] ^= 0xFF  # the last byte of IDAT's CRC
open("corrupt.png", "wb").write(bytes(corrupt))
baseline = open("baseline.jpg", "rb").read()
open("truncated.jpg", "wb").write(baseline[: len(baseline) * 2 // 3])
open("text.jpg", "w").write("This is a note, not a picture.\n")
open("huge.png", "wb").write(png_bytes(100000, 100000, 8, 2, [b""]))
sof = baseline.index(b"\xff\xc0")
open("huge.jpg", "wb").write(baseline[: sof + 5] + struct.pack(">HH", 60000, 60000) + baseline[sof + 9:])
gif = io.BytesIO()
photo.save(gif, "GIF")
open("photo.gif", "wb").write(gif.getvalue())

with open("expected.json", "w") as f:
    json.dump(expected, f)
