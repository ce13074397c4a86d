#!/usr/bin/env python3
"""answers-table.py ANSWERS.gz > knn.c - the red team's answer-table attack on lab 01.

Written as a dishonest student would, with the student release only: its public tests
name their calls, grader/oracle.c says how a recorded answer is keyed (FNV-1a over the
test's name, the function and the call's number), and grader/tests/public/answers.gz
holds the outputs. This writes a lab 01 file whose distance functions compute nothing:
they copy the recorded distances of the public tests' random cases, picked by shape.
It earns those tests on the release's own recorded inputs; the autograder grades with a
seed of its own (gradlab-seed), so there it must earn nothing.
"""
import gzip
import struct
import sys

FNV_OFFSET, FNV_PRIME, MASK = 1469598103934665603, 1099511628211, (1 << 64) - 1


def mix(h, data):
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & MASK
    return h


def key(test, fn, occurrence):
    h = mix(mix(FNV_OFFSET, test.encode() + b"\0"), fn.encode() + b"\0")
    h = mix(h, struct.pack("<i", occurrence))
    return h or 1


records = {}
for line in gzip.open(sys.argv[1], "rt"):
    f = line.split()
    n = int(f[4])
    records[int(f[0], 16)] = [struct.unpack("<d", int(w, 16).to_bytes(8, "little"))[0] for w in f[5:5 + n]]

# The random-shape tests call the two-loop oracle once per shape, in this order (M, N).
shapes = [(7, 11), (1, 4), (9, 2), (3, 1)]
tests = ["01 knn_distances_two_loops: random non-square shapes",
         "01 knn_distances_one_loop: random non-square shapes, same as pair by pair",
         "01 knn_distances_no_loops: random non-square shapes, same as pair by pair"]
table = {}
for test in tests:
    for k, (m, n) in enumerate(shapes):
        out = records.get(key(test, "knn_distances_two_loops", k))
        if out and len(out) == m * n:
            table.setdefault((m, n), out)

print("/* red team: lab 01 from the release's recorded answers, no distance computed: the")
print(" * public tests' random cases, looked up by shape (tests/redteam/answers-table.py).")
print(" * expect: FAIL */")
print('#include "knn.h"\n')
print("static const struct { int m, n; double d[96]; } table[] = {")
for (m, n), out in sorted(table.items()):
    print(f"    {{ {m}, {n}, {{ {', '.join(repr(v) for v in out)} }} }},")
print("};\n")
print("static void lookup(const Mat *X_train, const Mat *X_test, Mat *dists)")
print("{")
print("    (void)X_train;")
print("    for (unsigned t = 0; t < sizeof table / sizeof table[0]; t++)")
print("        if (table[t].m == X_test->rows && table[t].n == dists->cols)")
print("            for (int i = 0; i < table[t].m * table[t].n; i++) dists->data[i] = table[t].d[i];")
print("}\n")
for fn in ("knn_distances_two_loops", "knn_distances_one_loop", "knn_distances_no_loops", "knn_distances_l1"):
    print(f"void {fn}(const Mat *X_train, const Mat *X_test, Mat *dists) {{ lookup(X_train, X_test, dists); }}")
print("void knn_predict_labels(const Mat *dists, const int *y_train, int k, int *y_pred)")
print("{ (void)y_train; (void)k; for (int i = 0; i < dists->rows; i++) y_pred[i] = 0; }")
print("void knn_cross_validate(const Mat *X, const int *y, int num_folds, const int *k_choices, int num_k, "
      "Mat *accuracies)")
print("{ (void)X; (void)y; (void)num_folds; (void)k_choices; (void)num_k; "
      "for (int i = 0; i < accuracies->rows * accuracies->cols; i++) accuracies->data[i] = 0.0; }")
print(f"/* {len(table)} shapes found in the recorded answers */", file=sys.stderr)
