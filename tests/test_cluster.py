"""Ingest on a Dask cluster (`--engine dask`): the same content files as the built-in path, retries, clear messages.

The cluster is a LocalCluster of two worker processes started here; the tests that need it are
skipped when Dask distributed is not installed (requirements-cluster.txt).
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import BuildError
from generator.ingest.cluster import DaskEngine, make_engine
from tests.helpers import FIXTURES

needs_dask = pytest.mark.skipif(find_spec("distributed") is None,
                                reason="Dask distributed is not installed (pip install -r requirements-cluster.txt)")

SYNTHETIC = {
    "synthetic-harbour.txt": "Harbour reopens after storm repairs\n\nPORTSMOUTH - The harbour at Portsmouth reopened on "
                             "Monday after three months of repairs, said Jane Whitfield, the harbour master.\n\n"
                             "Fishing crews from Southampton and Brighton returned to the quay within hours.",
    "synthetic-court.txt": "Court clears former mayor of fraud\n\nA court in Leeds cleared the former mayor, Peter "
                           "Osborne, of fraud on Tuesday.\n\nThe Crown Prosecution Service said it would not appeal.",
    "synthetic-rail.txt": "Rail strike halts trains across Scotland\n\nGLASGOW - Trains across Scotland stopped on "
                          "Friday as drivers walked out over pay, the union leader Mick Lynch said.\n\n"
                          "Network Rail advised passengers in Edinburgh and Aberdeen not to travel.",
    "synthetic-museum.txt": "Museum shows lost paintings of Turner\n\nLONDON - The Tate Britain museum in London "
                            "will show six paintings by J. M. W. Turner that were thought lost.\n\n"
                            "The curator, Alison Smith, found them in a private collection in Bath.",
}


def make_site(root: Path) -> Path:
    seeds = root / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds)
    for name, text in SYNTHETIC.items():
        (seeds / name).write_text(text + "\n", encoding="utf-8")
    return root


def content_files(root: Path) -> dict[str, bytes]:
    folder = root / "content"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Analysers for the engine's own behaviour: cheap, and importable by the workers (they are sent by reference).

@dataclass(frozen=True)
class Echo:
    persons: tuple[str, ...]
    locations: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


class EchoAnalyser:
    """Names each text's first word as its person, so the order of the results shows."""

    def __init__(self, marker: str | None = None, die: bool = False) -> None:
        self.marker, self.die = marker, die

    def analyse(self, texts):
        if self.marker is not None:
            try:  # the first batch on any worker, and only that one, fails
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                pass
            else:
                if self.die:
                    os._exit(1)  # the worker process is lost in the middle of the batch
                raise RuntimeError("a batch that fails once")
        return [Echo((text.split()[0],)) for text in texts]


def echo_analyser() -> EchoAnalyser:
    return EchoAnalyser()


TEXTS = [f"word{i} and some more text" for i in range(23)]
EXPECTED = [(f"word{i}",) for i in range(23)]


@pytest.fixture(scope="module")
def cluster():
    if find_spec("distributed") is None:
        pytest.skip("Dask distributed is not installed (pip install -r requirements-cluster.txt)")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


@needs_dask
def test_cluster_ingest_writes_the_same_content_files_as_the_built_in_path(tmp_path, cluster, capsys):
    local, remote = make_site(tmp_path / "local"), make_site(tmp_path / "remote")
    assert main(["ingest", "--root", str(local)]) == 0
    assert main(["ingest", "--root", str(remote), "--engine", "dask", "--scheduler", cluster.scheduler_address]) == 0
    expected = content_files(local)
    assert len([name for name in expected if name.startswith("articles/")]) >= len(SYNTHETIC) + 5
    assert content_files(remote) == expected
    assert "Ingested" in capsys.readouterr().out


@needs_dask
def test_results_come_back_in_order_with_progress_as_batches_finish(cluster):
    calls = []
    engine = DaskEngine(cluster.scheduler_address, batch=4)
    found = engine(TEXTS, echo_analyser, lambda done, total: calls.append((done, total)))
    assert [a.persons for a in found] == EXPECTED
    assert len(calls) == 6  # one call per batch of four
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (23, 23)


@needs_dask
def test_a_batch_that_fails_once_is_retried(cluster, tmp_path):
    factory = functools.partial(EchoAnalyser, str(tmp_path / "failed"))
    found = DaskEngine(cluster.scheduler_address, batch=4)(TEXTS, factory, None)
    assert (tmp_path / "failed").exists()  # a batch did fail
    assert [a.persons for a in found] == EXPECTED


@needs_dask
def test_without_retries_the_failure_is_reported(cluster, tmp_path):
    factory = functools.partial(EchoAnalyser, str(tmp_path / "failed"))
    with pytest.raises(BuildError, match="a batch that fails once"):
        DaskEngine(cluster.scheduler_address, batch=4, retries=0)(TEXTS, factory, None)


@needs_dask
def test_a_lost_workers_batch_runs_again_on_another_worker(cluster, tmp_path):
    factory = functools.partial(EchoAnalyser, str(tmp_path / "died"), True)
    found = DaskEngine(cluster.scheduler_address, batch=4, retries=0)(TEXTS, factory, None)
    assert (tmp_path / "died").exists()  # a worker process did exit in the middle of a batch
    assert [a.persons for a in found] == EXPECTED


@needs_dask
def test_workers_running_other_code_are_refused(cluster, monkeypatch):
    from generator.ingest import cluster as engine_module

    # This machine's code changes after the workers started: their fingerprint is still the old one.
    monkeypatch.setattr(engine_module, "code_fingerprint", lambda: "edited-since")
    with pytest.raises(BuildError, match=r"\d process\(es\) .* run other code.*the scheduler"):
        DaskEngine(cluster.scheduler_address)(TEXTS, echo_analyser, None)


@needs_dask
def test_an_unreachable_scheduler_is_named_with_how_to_start_one(tmp_path, capsys):
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(BuildError) as caught:
        DaskEngine(address, timeout=1)(TEXTS, echo_analyser, None)
    message = str(caught.value)
    assert address in message and "dask scheduler" in message and f"dask worker {address}" in message

    site = make_site(tmp_path / "site")
    # `ingest`, and the default build (options before or after the command name)
    for argv in (["ingest", "--root", str(site), "--engine", "dask", "--scheduler", address],
                 ["--root", str(site), "--engine", "dask", "--scheduler", address],
                 ["build", "--root", str(site), "--engine", "dask", "--scheduler", address]):
        assert main(argv) == 1
        assert f"cannot reach the Dask scheduler at {address}" in capsys.readouterr().err
        assert not (site / "content" / "articles").exists() or not any((site / "content" / "articles").iterdir())
        assert not (site / "public").exists()


def test_asking_for_dask_without_it_installed_names_the_requirements_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: importing it fails
    with pytest.raises(BuildError, match="requirements-cluster.txt"):
        make_engine("dask", "tcp://127.0.0.1:8786")
    site = make_site(tmp_path / "site")
    assert main(["ingest", "--root", str(site), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786"]) == 1
    assert "requirements-cluster.txt" in capsys.readouterr().err
    assert not (site / "content").exists()


def test_the_engine_and_scheduler_options_go_together():
    with pytest.raises(BuildError, match="--scheduler"):
        make_engine("dask", None)
    with pytest.raises(BuildError, match="--engine dask"):
        make_engine("local", "tcp://127.0.0.1:8786")
    assert make_engine("local", None) is None
