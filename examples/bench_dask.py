"""LinearRegression on a 20,000,000 x 10 dask array (1.6 GB), never gathered on the client.

The array is generated lazily, block by block, by a seeded generator on the workers
(``map_blocks``): the client holds only the graph. The fit is one pass over the blocks (each
block's moments, merged by Chan's update up a tree), so what travels back is a few 11 x 11
matrices. For 1 and 2 worker processes (``LocalCluster(processes=True, threads_per_worker=1)``)
it reports the fit's wall time and how much the client process's resident memory grew, and
checks the coefficients against the generating ones. Not part of ``examples/benchmark.py``'s
default set: it needs the ``dask`` extra and about a minute per row.

    python examples/bench_dask.py [--rows 20000000] [--chunk 500000] [--workers 1 2]
"""

import argparse
import gc
import os
import threading
import time
import warnings

import numpy as np

P = 10
COEF = np.linspace(-2.0, 2.0, P)
INTERCEPT = 3.0


def generate(block_info=None):
    """One block of [X, y]: rows drawn by a generator seeded with the block's index."""
    (start, stop), _ = block_info[None]["array-location"]
    (index, _) = block_info[None]["chunk-location"]
    rng = np.random.default_rng([2026, index])
    X = rng.normal(size=(stop - start, P))
    y = X @ COEF + INTERCEPT + rng.normal(size=stop - start)
    return np.column_stack([X, y])


def lazy_data(rows, chunk):
    """X (rows x P) and y, lazily: nothing is computed until a fit asks for the blocks."""
    import dask.array as da

    chunks = ((chunk,) * (rows // chunk) + ((rows % chunk,) if rows % chunk else ()), (P + 1,))
    Z = da.map_blocks(generate, chunks=chunks, dtype=np.float64)
    return Z[:, :P], Z[:, P]


def rss_mb():
    import psutil

    return psutil.Process(os.getpid()).memory_info().rss / 2**20


class PeakRSS:
    """The client's largest resident memory while the block runs, sampled every 20 ms."""

    def __enter__(self):
        self.peak, self._stop = rss_mb(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def run(workers, rows, chunk):
    from distributed import Client, LocalCluster

    from gradscratch import LinearRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            host="127.0.0.1",
        )
        client = Client(cluster)
    try:
        X, y = lazy_data(rows, chunk)
        gc.collect()
        before = rss_mb()
        with PeakRSS() as memory:
            start = time.perf_counter()
            model = LinearRegression().fit(X, y)
            seconds = time.perf_counter() - start
        error = float(np.max(np.abs(model.coef_ - COEF)))
        return seconds, memory.peak - before, error, model
    finally:
        client.close()
        cluster.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--chunk", type=int, default=500_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    gigabytes = args.rows * (P + 1) * 8 / 1e9
    print(
        f"LinearRegression on {args.rows:,} x {P} (with y: {gigabytes:.2f} GB), blocks of "
        f"{args.chunk:,} rows, generated lazily on the workers"
    )
    print(
        f"{'workers':>8} {'fit (s)':>9} {'client peak RSS growth (MB)':>28} "
        f"{'max |coef - true|':>18}"
    )
    for workers in args.workers:
        seconds, grown, error, _ = run(workers, args.rows, args.chunk)
        print(f"{workers:>8} {seconds:>9.1f} {grown:>28.1f} {error:>18.2e}")


if __name__ == "__main__":
    main()
