"""Work handed to forked children comes back as if done in the process itself."""

from __future__ import annotations

import os

import pytest

from generator.parallel import Forked, can_fork, cpu_workers


def _pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def _only_here(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("fails in a child")
    return "done here"


def test_a_forked_child_gives_back_what_the_function_returns():
    pid, total = Forked(_pid_and_sum, list(range(1000))).result()
    assert total == sum(range(1000))
    assert (pid != os.getpid()) == (can_fork() and cpu_workers() > 1)  # one core: done here, in turn


def test_a_child_that_fails_leaves_the_work_to_this_process():
    assert Forked(_only_here, os.getpid()).result() == "done here"


def _children() -> set[int]:
    """This process's child processes, zombies included, from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    fields = handle.read().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(int(entry))
    return found


def test_a_cancelled_child_is_gone_and_leaves_no_open_pipe():
    """A build stopped by an error before it heard from its child must not leave the child behind (the preview
    server builds again and again in one process)."""
    before_fds, before_children = set(os.listdir("/proc/self/fd")), _children()
    if not can_fork() or cpu_workers() < 2:
        pytest.skip("no child is forked on one core")
    work = Forked(sum, range(10**10))  # far too long to finish by itself
    assert _children() - before_children  # at work
    work.cancel()
    work.cancel()  # twice is harmless
    assert _children() == before_children
    assert set(os.listdir("/proc/self/fd")) == before_fds
