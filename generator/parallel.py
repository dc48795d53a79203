"""Spread independent work over the machine's cores with forked worker processes.

Forking shares the parent's loaded data with the workers for free; where fork is not
available, or the work is small, everything runs in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cpu_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    size = max(1, -(-len(items) // count))
    return [items[i : i + size] for i in range(0, len(items), size)]


def fork_map(
    func: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    workers: int,
    min_items: int = 200,
    chunks_per_worker: int = 4,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
) -> list[R]:
    """`func` maps a chunk of items to a list of results; the results come back in order."""
    if workers <= 1 or len(items) < min_items or not can_fork():
        if initializer is not None:
            initializer(*initargs)
        return func(items)
    context = multiprocessing.get_context("fork")
    results: list[R] = []
    # The workers share the parent's objects until they write to them; a garbage collection in a
    # worker writes to every object it visits, copying the whole archive into each worker. Frozen
    # objects are never visited, so the pages stay shared.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer,
                                 initargs=initargs) as pool:
            for part in pool.map(func, _chunks(items, workers * chunks_per_worker)):
                results.extend(part)
    finally:
        gc.unfreeze()
    return results
