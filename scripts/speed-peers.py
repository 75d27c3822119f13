"""One epoch of training in NumPy and in PyTorch, to compare with the
engine's BenchmarkEpoch benchmarks on the same machine.

Each epoch is what the engine's benchmark does: 60,000 float32 images of 784
pixels scaled to 0..1, visited in a fresh random order in mini-batches, ReLU
hidden layers with He initialisation, softmax cross-entropy, plain SGD at a
learning rate of 0.1; training steps only, no evaluation. The images are
MNIST's when --mnist names the gzip file of its training images, random
otherwise: the dense products of NumPy and PyTorch take as long either way.

It prints one line per measurement, "PEER NETWORK BATCH SECONDS", where PEER
is numpy, torch1 (torch.set_num_threads(1)) or torchN (PyTorch's default
number of threads), and lines starting with "#" that describe the set-up.

Usage: speed-peers.py [--mnist FILE] [--peers numpy,torch] [--epochs N]
       NETWORK:BATCH ...   (such as 784-512-512-10:100)
       speed-peers.py --describe   (the "#" lines alone)
"""

import argparse
import ctypes
import gzip
import os
import sys
import time

import numpy as np

IMAGES, PIXELS, CLASSES, LR = 60000, 784, 10, 0.1


def load_images(path):
    """MNIST's training images as float32 rows in 0..1, with random labels
    when the labels file is not beside them."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, PIXELS)
    x = x[:IMAGES].astype(np.float32) / 255
    labels = path.replace("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    if labels != path and os.path.exists(labels):
        with gzip.open(labels, "rb") as f:
            t = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:IMAGES]
        return x, t.astype(np.int64)
    return x, np.random.default_rng(1).integers(0, CLASSES, len(x))


def data(args):
    if args.mnist:
        return load_images(args.mnist)
    rng = np.random.default_rng(1)
    x = rng.random((IMAGES, PIXELS), dtype=np.float32)
    return x, rng.integers(0, CLASSES, IMAGES)


def openblas_core():
    """The name of the kernel OpenBLAS chose for this CPU, if NumPy's BLAS is
    OpenBLAS."""
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            get = lib.openblas_get_corename
        except (OSError, AttributeError):
            continue
        get.restype = ctypes.c_char_p
        cfg = lib.openblas_get_config
        cfg.restype = ctypes.c_char_p
        return "%s (%s)" % (get().decode(), cfg().decode().strip())
    return None


def numpy_epoch(sizes, batch, x, t, rng):
    ws = [(rng.standard_normal((i, o)) * np.sqrt(2 / i)).astype(np.float32)
          for i, o in zip(sizes, sizes[1:])]
    bs = [np.zeros(o, np.float32) for o in sizes[1:]]

    def step(idx):
        n = len(idx)
        acts = [x[idx]]
        for w, b in zip(ws[:-1], bs[:-1]):
            acts.append(np.maximum(acts[-1] @ w + b, 0))
        z = acts[-1] @ ws[-1] + bs[-1]
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        loss = -np.log(p[rows, t[idx]] + 1e-7).mean()
        d = p
        d[rows, t[idx]] -= 1
        d /= n
        for i in range(len(ws) - 1, -1, -1):
            gw = acts[i].T @ d
            gb = d.sum(axis=0)
            if i > 0:
                d = (d @ ws[i].T) * (acts[i] > 0)
            ws[i] -= np.float32(LR) * gw
            bs[i] -= np.float32(LR) * gb
        return loss

    for _ in range(5):  # warm up: first-touch allocation, thread start-up
        step(rng.permutation(IMAGES)[:batch])
    order = rng.permutation(IMAGES)
    start = time.perf_counter()
    for lo in range(0, IMAGES, batch):
        step(order[lo:lo + batch])
    return time.perf_counter() - start


def torch_epoch(torch, sizes, batch, x, t, rng):
    layers = []
    for i, o in zip(sizes, sizes[1:]):
        lin = torch.nn.Linear(i, o)
        torch.nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        torch.nn.init.zeros_(lin.bias)
        layers += [lin, torch.nn.ReLU()]
    net = torch.nn.Sequential(*layers[:-1])
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    lossf = torch.nn.CrossEntropyLoss()
    xt, tt = torch.from_numpy(x), torch.from_numpy(t)

    def step(idx):
        idx = torch.from_numpy(idx)
        opt.zero_grad(set_to_none=True)
        loss = lossf(net(xt[idx]), tt[idx])
        loss.backward()
        opt.step()

    for _ in range(5):
        step(rng.permutation(IMAGES)[:batch])
    order = rng.permutation(IMAGES)
    start = time.perf_counter()
    for lo in range(0, IMAGES, batch):
        step(order[lo:lo + batch])
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mnist", help="MNIST's train-images-idx3-ubyte.gz")
    ap.add_argument("--peers", default="numpy,torch")
    ap.add_argument("--epochs", type=int, default=1,
                    help="epochs to time; the fastest counts")
    ap.add_argument("--describe", action="store_true",
                    help="print the set-up and time nothing")
    ap.add_argument("runs", nargs="*", metavar="NETWORK:BATCH")
    args = ap.parse_args()
    if not args.describe:
        x, t = data(args)
    peers = args.peers.split(",")
    torch = None
    if "numpy" in peers:
        print("# numpy %s, BLAS: %s" % (np.__version__, openblas_core() or "not OpenBLAS"))
    if "torch" in peers:
        try:
            import torch
        except ImportError:
            print("# PyTorch is not installed: no torch rows")
        else:
            print("# torch %s, default threads %d" % (torch.__version__, torch.get_num_threads()))
    sys.stdout.flush()
    if args.describe:
        return
    default_threads = torch.get_num_threads() if torch else 1
    for run in args.runs:
        net, batch = run.split(":")
        sizes, batch = [int(s) for s in net.split("-")], int(batch)
        tag = "%s %d" % (net, batch)
        rng = np.random.default_rng(2)
        if "numpy" in peers:
            s = min(numpy_epoch(sizes, batch, x, t, rng) for _ in range(args.epochs))
            print("numpy %s %.3f" % (tag, s), flush=True)
        if torch:
            torch.manual_seed(2)
            for name, threads in (("torch1", 1), ("torchN", default_threads)):
                torch.set_num_threads(threads)
                s = min(torch_epoch(torch, sizes, batch, x, t, rng) for _ in range(args.epochs))
                print("%s %s %.3f" % (name, tag, s), flush=True)


if __name__ == "__main__":
    main()
