#!/usr/bin/env python3
"""Checks that a PNG screenshot is not blank: enough non-white pixels and enough distinct colours.

Decodes the PNG itself (zlib + the five row filters, NumPy for speed) so no imaging library is
needed. Usage: png-not-blank.py FILE.png; prints one line and exits 1 when the image is blank.
"""
import struct
import sys
import zlib

import numpy as np


def decode(path):
    try:
        data = open(path, "rb").read()
    except OSError as e:
        sys.exit(f"FAIL: {path}: cannot read the screenshot: {e.strerror}")
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG file")
    pos, idat = 8, []
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    channels = {2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        sys.exit(f"{path}: unsupported PNG (bit depth {depth}, colour type {colour}, interlace {interlace})")
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        f, row = raw[y, 0], raw[y, 1:]
        if f == 0:
            cur = row.copy()
        elif f == 1:  # Sub: a running sum along each channel
            cur = (np.cumsum(row.reshape(width, channels).astype(np.int64), axis=0) % 256).astype(np.uint8).reshape(stride)
        elif f == 2:  # Up
            cur = row + prev
        else:  # Average or Paeth: sequential along the row
            cur = np.zeros(stride, dtype=np.uint8)
            r, p = row.tolist(), prev.tolist()
            c = [0] * stride
            for i in range(stride):
                a = c[i - channels] if i >= channels else 0
                b = p[i]
                if f == 3:
                    c[i] = (r[i] + (a + b) // 2) & 255
                else:
                    d = p[i - channels] if i >= channels else 0
                    pa, pb, pc = abs(b - d), abs(a - d), abs(a + b - 2 * d)
                    c[i] = (r[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else d)) & 255
            cur = np.array(c, dtype=np.uint8)
        out[y] = cur
        prev = cur
    return out.reshape(height, width, channels)[:, :, :3]


pixels = decode(sys.argv[1])
flat = pixels.reshape(-1, 3)
non_white = float(np.mean(np.any(flat < 245, axis=1)))
colours = len(np.unique(flat.astype(np.uint32) @ np.array([65536, 256, 1], dtype=np.uint32)))
ok = non_white > 0.02 and colours > 50
print(f"{'ok' if ok else 'FAIL'}: screenshot {pixels.shape[1]}x{pixels.shape[0]}, "
      f"{non_white * 100:.1f}% non-white pixels, {colours} distinct colours")
sys.exit(0 if ok else 1)
