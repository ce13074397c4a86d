#!/usr/bin/env python3
"""gen_data.py - small made-up data sets in the MNIST (IDX) and CIFAR-10 (binary) layouts.

    tests/experiments/gen_data.py mnist DIR [N_TRAIN N_TEST]
    tests/experiments/gen_data.py cifar10 DIR [N_TRAIN N_TEST]

Each class has its own random template; an image is its class's template plus noise,
so a classifier can learn something and accuracies stay well above chance. The files
are what the readers expect: MNIST's four gzipped IDX files, CIFAR-10's
data_batch_1..5.bin and test_batch.bin (1 label byte + 1024 red, 1024 green, 1024 blue
bytes per record). Standard library only.
"""
import gzip
import random
import struct
import sys


def images(rng, templates, n, dim):
    labels = [i % len(templates) for i in range(n)]
    rng.shuffle(labels)
    pix = bytearray()
    for c in labels:
        t = templates[c]
        pix.extend(max(0, min(255, int(t[j] + rng.gauss(0, 40)))) for j in range(dim))
    return labels, bytes(pix)


def write_idx(path, dims, data):
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, 8, len(dims)))
        for d in dims:
            f.write(struct.pack(">I", d))
        f.write(data)


def main():
    kind, out = sys.argv[1], sys.argv[2]
    n_train = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    n_test = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    rng = random.Random(13)
    side, ch = (28, 1) if kind == "mnist" else (32, 3)
    dim = side * side * ch
    templates = [[rng.choice((30, 120, 220)) for _ in range(dim)] for _ in range(10)]
    tr_y, tr_x = images(rng, templates, n_train, dim)
    te_y, te_x = images(rng, templates, n_test, dim)
    if kind == "mnist":
        write_idx(f"{out}/train-images-idx3-ubyte.gz", (n_train, side, side), tr_x)
        write_idx(f"{out}/train-labels-idx1-ubyte.gz", (n_train,), bytes(tr_y))
        write_idx(f"{out}/t10k-images-idx3-ubyte.gz", (n_test, side, side), te_x)
        write_idx(f"{out}/t10k-labels-idx1-ubyte.gz", (n_test,), bytes(te_y))
    elif kind == "cifar10":
        def batch(path, ys, xs, lo, hi):
            with open(path, "wb") as f:
                for i in range(lo, hi):
                    f.write(bytes([ys[i]]) + xs[i * dim:(i + 1) * dim])
        per = n_train // 5
        for b in range(5):
            hi = n_train if b == 4 else (b + 1) * per
            batch(f"{out}/data_batch_{b + 1}.bin", tr_y, tr_x, b * per, hi)
        batch(f"{out}/test_batch.bin", te_y, te_x, 0, n_test)
    else:
        sys.exit(f"gen_data.py: unknown kind '{kind}' (mnist or cifar10)")


if __name__ == "__main__":
    main()
