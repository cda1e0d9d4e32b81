"""Random feature orders of tree nodes that do not depend on the order nodes are grown in.

A tree visits the candidate features of a node in a random order (the first ``max_features``
non-constant ones are its candidates; the first best split in that order wins exact ties).
If those orders were drawn from one generator as nodes are grown, a tree grown depth first
(node by node) and the same tree grown a level at a time would draw differently. So each
node gets a 64-bit *key*: the root's is drawn from ``random_state``, a child's is a hash of
its parent's key and its side. A node's feature order is then a function of its key only: the
argsort of the hashes ``h(key + (j + 1) * GOLDEN)`` of the features ``j``, with ``h`` the
splitmix64 finalizer (a counter-based generator: the k-th output of the stream seeded at
``key`` is ``h(key + k * GOLDEN)``). All arithmetic is uint64 modulo 2^64, vectorized over
the nodes of a level.
"""

import numpy as np

__all__ = ["child_keys", "feature_orders", "root_key"]

GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # splitmix64's increment (2^64 / golden ratio)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def splitmix64(z):
    """splitmix64's output function on a uint64 array (wraps modulo 2^64)."""
    z = z ^ (z >> np.uint64(30))
    z = z * _M1
    z = z ^ (z >> np.uint64(27))
    z = z * _M2
    return z ^ (z >> np.uint64(31))


def root_key(rng):
    """The root's key (a 1-element uint64 array), one draw from the generator ``rng``."""
    return np.array([rng.integers(0, 2**63)], dtype=np.uint64)


def feature_orders(keys, n_features):
    """(k, n_features): the features of each node in its random order (a permutation)."""
    counters = np.arange(1, n_features + 1, dtype=np.uint64) * GOLDEN
    return np.argsort(splitmix64(keys[:, None] + counters), axis=1, kind="stable")


def child_keys(keys, side):
    """Keys of the children on ``side`` (0 left, 1 right) of nodes with ``keys``: the hash
    of ``2 key + 1 + side`` (any function of the parent's key and the side would do)."""
    return splitmix64(keys * np.uint64(2) + np.uint64(1 + side))
