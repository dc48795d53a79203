"""Spread independent work over the machine's cores with forked worker processes.

Forking shares the parent's loaded data with the workers for free; where fork is not
available, or the work is small, everything runs in this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def release_memory() -> None:
    """Hand memory freed since the last step back to the system (glibc keeps it otherwise).

    A build's steps free much of what the one before made (the name decisions' texts, say), but
    the C library keeps freed pages for reuse; the next step's workers and Pagefind then run
    beside a process that looks larger than it is. `malloc_trim` gives them back.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a step makes a great many objects that stay.

    The collector runs whenever allocations outnumber frees by a few hundred, and every so
    often it visits every object alive: loading a large archive's entries, its name decisions
    and its site model then spend more time in collections than in the work (a headline edit
    at 100,000 articles: some 5 of its 20 seconds), and every one of them finds nothing,
    since those objects stay until the build ends. A build's steps make little cyclic garbage
    (a cold build peaks the same with the collector off throughout).

    On the way out the objects still alive are frozen (`gc.freeze`): the collector, back on,
    never visits them, where it would otherwise visit all of them at once in its next
    collection (about a second at 100,000 articles) and again when the process ends. Freed
    objects still go as soon as nothing refers to them; a process that goes on after the
    build (the preview server) hands them back to the collector with `thaw`.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def thaw() -> None:
    """Give the objects `collector_paused` froze back to the cycle collector (`gc.unfreeze`)."""
    gc.unfreeze()


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
    chunks = _chunks(items, workers * chunks_per_worker)
    # This process does one worker's share itself (every `workers`-th chunk) rather than wait: one
    # process fewer copies the pages it touches.
    mine = range(0, len(chunks), workers)
    done: dict[int, list[R]] = {}
    # The workers share the parent's objects until they write to them; a garbage collection in a
    # worker writes to every object it visits, copying the whole archive into each worker. Frozen
    # objects are never visited, so the pages stay shared.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context, initializer=initializer,
                                 initargs=initargs) as pool:
            futures = {i: pool.submit(func, chunk) for i, chunk in enumerate(chunks) if i not in mine}
            if initializer is not None:
                initializer(*initargs)
            for i in mine:
                done[i] = func(chunks[i])
            for i, future in futures.items():
                done[i] = future.result()
    finally:
        gc.unfreeze()
    return [result for i in range(len(chunks)) for result in done[i]]


class Forked(Generic[R]):
    """`func(*args)` worked out by a forked child while this process goes on; `result()` waits for it.

    For work that waits on the system (a stat of every page) beside work that waits on the
    processor: the child shares this process's memory as it was at the fork, does nothing but
    call `func` and write its pickled result, and leaves without running anything of this
    process's. Where the system cannot fork, on one core, or should the child fail, `result()`
    calls `func` here instead.
    """

    def __init__(self, func: Callable[..., R], *args: Any) -> None:
        self._func, self._args = func, args
        self._pid: int | None = None
        self._fd = -1
        if not can_fork() or cpu_workers() < 2:
            return
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child
            code = 1
            try:
                gc.disable()  # a collection would write to every object, copying this process's memory
                os.close(read_end)
                view = memoryview(pickle.dumps(func(*args), protocol=pickle.HIGHEST_PROTOCOL))
                while view:
                    view = view[os.write(write_end, view):]
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid, self._fd = pid, read_end

    def cancel(self) -> None:
        """Stop the child if it is still at work (a no-op once `result` has been read)."""
        if self._pid is None:
            return
        os.close(self._fd)
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)
        self._pid = None

    def result(self) -> R:
        if self._pid is None:
            return self._func(*self._args)
        chunks = []
        try:
            while chunk := os.read(self._fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self._fd)
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
        if status != 0:
            return self._func(*self._args)  # the child failed: do it here
        return pickle.loads(b"".join(chunks))
