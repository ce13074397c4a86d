"""peers.py - the numpy and scikit-learn side of `make bench`.

Each workload mirrors one in bench/gl_bench.c: the same data (Fashion-MNIST,
pixels / 255 in float64 unless the name says fp32), the same shapes and the
same work, written the way a fluent numpy / scikit-learn user would write it.
bench/run.sh alternates calls to this script with calls to gl_bench and takes
medians. Each timing is printed as one line, like gl_bench's:

    R <workload> <implementation> <seconds> <gflop|-> <note|->

Usage: python3 peers.py WORKLOAD [args] [--data DIR]
  gemm SIZE REPS | gemm-knn BLOCK REPS | knn BLOCK [M] | knn-sklearn K [M] | knn-loops M N | loss REPS |
  mlp HIDDEN | mlp-sklearn HIDDEN
(M: only the first M test rows, for trying the script out)
"""
import gzip
import os
import sys
import time
import warnings

import numpy as np

DATA = "/usr/share/datasets/fashion-mnist"


def result(workload, impl, seconds, gflop=None, note=None):
    g = "%.4f" % gflop if gflop else "-"
    print("R %s %s %.6f %s %s" % (workload, impl, seconds, g, note or "-"), flush=True)


def load_idx(path):
    """An IDX file (gzipped or not) as a numpy array of its stored shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_fashion(data_dir):
    def find(name):
        for cand in (os.path.join(data_dir, name + ".gz"), os.path.join(data_dir, name)):
            if os.path.exists(cand):
                return cand
        sys.exit("peers.py: %s not found in %s" % (name, data_dir))

    Xtr = load_idx(find("train-images-idx3-ubyte")).reshape(60000, -1).astype(np.float64) / 255.0
    ytr = load_idx(find("train-labels-idx1-ubyte")).astype(np.int64)
    Xte = load_idx(find("t10k-images-idx3-ubyte")).reshape(10000, -1).astype(np.float64) / 255.0
    yte = load_idx(find("t10k-labels-idx1-ubyte")).astype(np.int64)
    return Xtr, ytr, Xte, yte


def peak_rss_mb():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ---- matrix product ---------------------------------------------------------------

def bench_gemm(size, reps):
    rng = np.random.default_rng(1)
    A = rng.standard_normal((size, size))
    B = rng.standard_normal((size, size))
    gflop = 2.0 * size ** 3 / 1e9
    A @ B.T  # warm-up
    for _ in range(reps):
        t0 = time.perf_counter()
        A @ B.T
        result("gemm_%d" % size, "numpy", time.perf_counter() - t0, gflop)


def bench_gemm_knn(block, reps, data_dir):
    """X_test X_train^T in blocks of test rows, as gl_bench's gemm-knn."""
    Xtr, _, Xte, _ = load_fashion(data_dir)
    M, N, D = Xte.shape[0], Xtr.shape[0], Xtr.shape[1]
    out = np.empty((block, N))
    XtrT = Xtr.T
    for _ in range(reps):
        t0 = time.perf_counter()
        for s in range(0, M, block):
            xb = Xte[s:s + block]
            np.matmul(xb, XtrT, out=out[:xb.shape[0]])
        result("gemm_knn", "numpy", time.perf_counter() - t0, 2.0 * M * N * D / 1e9, "block=%d" % block)


# ---- k-nearest neighbours -----------------------------------------------------------

def knn_vote(nearest_labels):
    """Majority label of each row; ties go to the smaller label (bincount + argmax)."""
    counts = np.zeros((nearest_labels.shape[0], 10), dtype=np.int64)
    np.add.at(counts, (np.arange(nearest_labels.shape[0])[:, None], nearest_labels), 1)
    return counts.argmax(axis=1)


def bench_knn(block, m, data_dir):
    """The cs231n no-loop distances + argpartition + vote, in blocks of test rows
    (a single 10000 x 60000 float64 matrix and its temporaries would need ~15 GB).
    Distances are computed once per block and shared by k = 1, 5, 9, as gl_bench does."""
    Xtr, ytr, Xte, yte = load_fashion(data_dir)
    if m:
        Xte, yte = Xte[:m], yte[:m]
    M, N, D = Xte.shape[0], Xtr.shape[0], Xtr.shape[1]
    ks = (1, 5, 9)
    preds = {k: np.empty(M, dtype=np.int64) for k in ks}
    t_sel = {k: 0.0 for k in ks}
    t_dist = 0.0
    t_all = time.perf_counter()
    for s in range(0, M, block):
        xb = Xte[s:s + block]
        t0 = time.perf_counter()
        d = np.sqrt(np.maximum(
            (xb ** 2).sum(axis=1)[:, None] + (Xtr ** 2).sum(axis=1)[None, :] - 2.0 * xb @ Xtr.T, 0.0))
        t_dist += time.perf_counter() - t0
        for k in ks:
            t0 = time.perf_counter()
            if k == 1:
                idx = d.argmin(axis=1)[:, None]
            else:
                idx = np.argpartition(d, k - 1, axis=1)[:, :k]
            preds[k][s:s + block] = knn_vote(ytr[idx])
            t_sel[k] += time.perf_counter() - t0
    t_all = time.perf_counter() - t_all
    gflop = 2.0 * M * N * D / 1e9
    result("knn_dist", "numpy", t_dist, gflop, "block=%d,peak_rss=%.0fMB" % (block, peak_rss_mb()))
    for k in ks:
        acc = (preds[k] == yte).mean()
        result("knn_k%d" % k, "numpy", t_dist + t_sel[k], gflop, "acc=%.4f,select=%.3fs" % (acc, t_sel[k]))
    result("knn_all", "numpy", t_all, gflop)


def bench_knn_sklearn(k, m, data_dir):
    from sklearn.neighbors import KNeighborsClassifier
    Xtr, ytr, Xte, yte = load_fashion(data_dir)
    if m:
        Xte, yte = Xte[:m], yte[:m]
    gflop = 2.0 * Xte.shape[0] * Xtr.shape[0] * Xtr.shape[1] / 1e9
    t0 = time.perf_counter()
    clf = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(Xtr, ytr)
    pred = clf.predict(Xte)
    t = time.perf_counter() - t0
    result("knn_k%d" % k, "sklearn", t, gflop, "acc=%.4f,peak_rss=%.0fMB" % ((pred == yte).mean(), peak_rss_mb()))


def bench_knn_loops(M, N, data_dir):
    Xtr, _, Xte, _ = load_fashion(data_dir)
    Xtr, Xte = Xtr[:N], Xte[:M]
    D = Xtr.shape[1]
    d2 = np.empty((M, N))
    t0 = time.perf_counter()
    for i in range(M):
        for j in range(N):
            d2[i, j] = np.sqrt(np.sum((Xte[i] - Xtr[j]) ** 2))
    result("knn_two_loops", "numpy", time.perf_counter() - t0, 3.0 * M * N * D / 1e9)
    d1 = np.empty((M, N))
    t0 = time.perf_counter()
    for i in range(M):
        d1[i] = np.sqrt(np.sum((Xtr - Xte[i]) ** 2, axis=1))
    result("knn_one_loop", "numpy", time.perf_counter() - t0, 3.0 * M * N * D / 1e9,
           "max_diff_vs_two_loops=%.1e" % np.abs(d1 - d2).max())
    t0 = time.perf_counter()
    d0 = np.sqrt(np.maximum(
        (Xte ** 2).sum(axis=1)[:, None] + (Xtr ** 2).sum(axis=1)[None, :] - 2.0 * Xte @ Xtr.T, 0.0))
    result("knn_no_loops", "numpy", time.perf_counter() - t0, 2.0 * M * N * D / 1e9,
           "max_diff_vs_two_loops=%.1e" % np.abs(d0 - d2).max())


# ---- linear classifiers -------------------------------------------------------------

def softmax_loss(W, X, y, reg):
    N = X.shape[0]
    S = X @ W
    S -= S.max(axis=1, keepdims=True)
    P = np.exp(S)
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.log(P[np.arange(N), y]).sum() / N + reg * np.sum(W * W)
    P[np.arange(N), y] -= 1.0
    dW = X.T @ P / N + 2.0 * reg * W
    return loss, dW


def svm_loss(W, X, y, reg):
    N = X.shape[0]
    S = X @ W
    correct = S[np.arange(N), y][:, None]
    margins = np.maximum(0.0, S - correct + 1.0)
    margins[np.arange(N), y] = 0.0
    loss = margins.sum() / N + reg * np.sum(W * W)
    Mk = (margins > 0).astype(X.dtype)
    Mk[np.arange(N), y] = -Mk.sum(axis=1)
    dW = X.T @ Mk / N + 2.0 * reg * W
    return loss, dW


def bench_loss(reps, data_dir):
    Xtr, ytr, _, _ = load_fashion(data_dir)
    Xtr -= Xtr.mean(axis=0)
    X = np.hstack([Xtr, np.ones((Xtr.shape[0], 1))])
    N, D = X.shape
    C = 10
    rng = np.random.default_rng(1)
    W = 1e-3 * rng.standard_normal((D, C))
    gflop = 4.0 * N * D * C / 1e9
    fns = (("softmax", softmax_loss), ("svm", svm_loss))
    for _, fn in fns:
        fn(W, X, ytr, 1e-4)
    for _ in range(reps):
        for name, fn in fns:
            t0 = time.perf_counter()
            loss, _ = fn(W, X, ytr, 1e-4)
            result(name + "_full", "numpy", time.perf_counter() - t0, gflop, "loss=%.4f" % loss)
    iters = N // 200
    for name, fn in fns:
        W = np.zeros((D, C))
        t0 = time.perf_counter()
        first = last = None
        for _ in range(iters):
            idx = rng.integers(0, N, 200)      # with replacement, like sgd_sample_batch
            loss, dW = fn(W, X[idx], ytr[idx], 1e-4)
            W -= 1e-3 * dW
            first = loss if first is None else first
            last = loss
        result(name + "_epoch", "numpy", time.perf_counter() - t0, gflop,
               "first_loss=%.3f,last_loss=%.3f" % (first, last))


# ---- two-layer net --------------------------------------------------------------------

def mlp_epoch(params, vel, X, y, order, lr, mu, reg, B, dtype):
    """One epoch of minibatch SGD + momentum on relu(X W1 + b1) W2 + b2 with softmax loss."""
    W1, b1, W2, b2 = params
    N = X.shape[0]
    for s in range(0, N, B):
        idx = order[s:s + B]
        x, yb = X[idx], y[idx]
        n = x.shape[0]
        a = x @ W1 + b1
        h = np.maximum(a, 0)
        sc = h @ W2 + b2
        sc -= sc.max(axis=1, keepdims=True)
        p = np.exp(sc)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(n), yb] -= 1
        p /= n
        dW2 = h.T @ p + 2 * reg * W2
        db2 = p.sum(axis=0)
        dh = p @ W2.T
        dh[a <= 0] = 0
        dW1 = x.T @ dh + 2 * reg * W1
        db1 = dh.sum(axis=0)
        for P, V, G in zip((W1, b1, W2, b2), vel, (dW1, db1, dW2, db2)):
            V *= mu
            V -= lr * G
            P += V


def bench_mlp(H, data_dir):
    Xtr, ytr, _, _ = load_fashion(data_dir)
    Xtr -= Xtr.mean(axis=0)
    N, D = Xtr.shape
    C = 10
    gflop = (4.0 * N * D * H + 6.0 * N * H * C) / 1e9
    for dtype, impl in ((np.float64, "numpy"), (np.float32, "numpy_fp32")):
        rng = np.random.default_rng(1)
        X = Xtr.astype(dtype)
        params = [(rng.standard_normal((D, H)) * np.sqrt(2.0 / D)).astype(dtype), np.zeros(H, dtype),
                  (rng.standard_normal((H, C)) * np.sqrt(2.0 / H)).astype(dtype), np.zeros(C, dtype)]
        vel = [np.zeros_like(p) for p in params]
        times = []
        for _ in range(2):   # the second epoch is reported, as in gl_bench
            order = rng.permutation(N)
            t0 = time.perf_counter()
            mlp_epoch(params, vel, X, ytr, order, dtype(0.05), dtype(0.9), dtype(1e-4), 200, dtype)
            times.append(time.perf_counter() - t0)
        result("mlp_%d" % H, impl, times[-1], gflop)


def bench_mlp_sklearn(H, data_dir):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    Xtr, ytr, Xte, yte = load_fashion(data_dir)
    mean = Xtr.mean(axis=0)
    Xtr -= mean
    Xte -= mean
    N, D = Xtr.shape
    gflop = (4.0 * N * D * H + 6.0 * N * H * 10) / 1e9
    clf = MLPClassifier(hidden_layer_sizes=(H,), solver="sgd", batch_size=200, learning_rate_init=0.05,
                        momentum=0.9, nesterovs_momentum=False, alpha=1e-4, shuffle=True, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.partial_fit(Xtr, ytr, classes=np.arange(10))   # first epoch: set-up and page faults
        t0 = time.perf_counter()
        clf.partial_fit(Xtr, ytr)                          # one epoch, reported
        t = time.perf_counter() - t0
    result("mlp_%d" % H, "sklearn", t, gflop, "test_acc=%.4f" % clf.score(Xte, yte))


def main(argv):
    data_dir = DATA
    if "--data" in argv:
        i = argv.index("--data")
        data_dir = argv[i + 1]
        del argv[i:i + 2]
    if len(argv) < 2:
        sys.exit(__doc__)
    w, a = argv[1], [int(x) for x in argv[2:]]
    if w == "gemm":
        bench_gemm(a[0], a[1])
    elif w == "gemm-knn":
        bench_gemm_knn(a[0], a[1], data_dir)
    elif w == "knn":
        bench_knn(a[0], a[1] if len(a) > 1 else 0, data_dir)
    elif w == "knn-sklearn":
        bench_knn_sklearn(a[0], a[1] if len(a) > 1 else 0, data_dir)
    elif w == "knn-loops":
        bench_knn_loops(a[0], a[1], data_dir)
    elif w == "loss":
        bench_loss(a[0], data_dir)
    elif w == "mlp":
        bench_mlp(a[0], data_dir)
    elif w == "mlp-sklearn":
        bench_mlp_sklearn(a[0], data_dir)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
