"""Batches of flows: one flow (n,) or a batch (trials, n), solved a block of trials at a time."""

from __future__ import annotations

import numpy as np

BLOCK_TRIALS = 4096  # trials solved together: small enough for the CPU cache


def as_batch(flows) -> tuple[np.ndarray, bool]:
    values = np.asarray(flows, dtype=float)
    if values.ndim not in (1, 2) or values.shape[-1] == 0:
        raise ValueError(f"flows must be a 1-D flow or a 2-D batch with at least one period (got shape {values.shape})")
    return np.atleast_2d(values), values.ndim == 1


def unbatch(result: np.ndarray, single: bool):
    return float(result[0]) if single else result


def by_block(values: np.ndarray, function, dtype=float) -> np.ndarray:
    """``function`` (a block of trials → one number per trial) over :data:`BLOCK_TRIALS` trials at a time."""
    result = np.empty(values.shape[0], dtype=dtype)
    for start in range(0, values.shape[0], BLOCK_TRIALS):
        block = slice(start, start + BLOCK_TRIALS)
        result[block] = function(values[block])
    return result


__all__ = ["BLOCK_TRIALS", "as_batch", "unbatch", "by_block"]
