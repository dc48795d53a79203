"""The build state kept between builds in `<root>/.broadsheet-cache/`: what each output was made from.

Everything here is a cache: deleting the folder costs one full build, never correctness.
A cache written by another version of the code is ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger("broadsheet.state")
CACHE_DIR = ".broadsheet-cache"


#: Modules whose code shapes what is cached and rendered (ingest's own code only shapes new content files),
#: with the archive-wide decisions and the gazetteer, which decide what the index pages hold.
RENDER_MODULES = ("api", "archive", "bodies", "builddb", "charts", "config", "content", "fingerprint", "jsonld", "markup", "model", "pipeline",
                  "places", "quick", "render", "search", "state", "decisions/__init__", "decisions/kinds", "decisions/names",
                  "decisions/pages", "decisions/review")
#: Data files shipped with those modules (the gazetteer's country points): new data invalidates every cache too.
RENDER_DATA = ("data/country_points.json",)


@cache
def code_version() -> str:
    """Hash of the loading and rendering code: new code invalidates every cache."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent
    for path in [*sorted(package / f"{name}.py" for name in RENDER_MODULES), *(package / name for name in RENDER_DATA)]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def write_bytes_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class BuildState:
    """Reads and writes the cache files of one site root."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.dir = root / CACHE_DIR
        self.enabled = enabled

    def _path(self, name: str) -> Path:
        return self.dir / name

    def load_pickle(self, name: str) -> Any:
        if not self.enabled:
            return None
        try:
            with open(self._path(name), "rb") as handle:
                version, data = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a corrupt or foreign cache is rebuilt, never trusted
            log.debug("ignoring cache %s: %s", name, exc)
            return None
        return data if version == code_version() else None

    def save_pickle(self, name: str, data: Any) -> None:
        if self.enabled:
            write_bytes_atomically(self._path(name), pickle.dumps((code_version(), data), protocol=pickle.HIGHEST_PROTOCOL))

    def load_json(self, name: str) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        try:
            data = json.loads(self._path(name).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict) or data.get("version") != code_version():
            return None
        return data

    def save_json(self, name: str, data: dict[str, Any]) -> None:
        if self.enabled:
            payload = {"version": code_version(), **data}
            write_bytes_atomically(self._path(name), json.dumps(payload, separators=(",", ":")).encode("utf-8"))

    def remove(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


def tree_stamp(paths: list[Path], contents: bool = False) -> str:
    """A cheap fingerprint of folders and files: names, sizes and modification times.

    With `contents`, names and what the files hold instead: for a few small files (settings, a theme), where
    a file saved again unchanged, put back by a checkout or touched is no edit."""
    h = hashlib.blake2b(digest_size=16)

    def file(full: str, st: os.stat_result) -> None:
        if contents:
            with open(full, "rb") as handle:
                h.update(hashlib.blake2b(handle.read(), digest_size=16).digest())
        else:
            h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())

    for top in paths:
        h.update(str(top).encode())
        if top.is_file():
            file(str(top), top.stat())
            continue
        if not top.is_dir():
            h.update(b"missing")
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                try:
                    h.update(f"{full}:".encode())
                    file(full, os.stat(full))
                except FileNotFoundError:
                    continue
                h.update(b";")
    return h.hexdigest()


LOCK_NAME = "build.lock"


class BuildLockBusy(Exception):
    """Another live process holds the build lock of this site."""

    def __init__(self, pid: int | None, path: Path) -> None:
        self.pid, self.path = pid, path
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"another build of this site is running ({who}); wait for it or remove "
                         f"{CACHE_DIR}/{LOCK_NAME} if it is stale")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but someone else's
        return True
    except OSError:
        return False
    return True


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii").strip()
        return int(text) if text else None
    except (OSError, ValueError, UnicodeDecodeError):
        return None


class BuildLock:
    """One build of a site at a time: `<root>/.broadsheet-cache/build.lock` holds the builder's pid.

    Where `fcntl` exists the file is also `flock`ed, so the kernel releases the lock when its
    process dies, however it dies (SIGKILL included): a lock left by a dead build is simply
    taken over. Elsewhere the pid decides: a lock whose pid is not running is stale.
    Held for the whole build, this is also what lets a build clear every staging folder and
    recover an interrupted swap without wondering whether another build is using them.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_DIR / LOCK_NAME
        self._fd: int | None = None
        self._by_pid = False

    def acquire(self) -> None:
        if self._fd is not None:
            raise RuntimeError("build lock already held by this builder")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on POSIX
            self._acquire_by_pid()
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BuildLockBusy(_read_pid(self.path), self.path) from None
        except BaseException:
            os.close(fd)
            raise
        previous = _read_pid(self.path)
        if previous and previous != os.getpid():
            log.info("taking over the build lock left by pid %d, which is no longer building", previous)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd

    def _acquire_by_pid(self) -> None:  # pragma: no cover - not on POSIX
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                pid = _read_pid(self.path)
                if pid and _pid_alive(pid):
                    raise BuildLockBusy(pid, self.path) from None
                log.info("removing a stale build lock (pid %s is not running)", pid)
                self.path.unlink(missing_ok=True)
                continue
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            self._fd, self._by_pid = fd, True
            return
        raise BuildLockBusy(_read_pid(self.path), self.path)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # an empty lock file names nobody, even if a later build finds it unlocked
        except OSError:
            pass
        os.close(fd)  # closing drops the flock
        if self._by_pid:  # pragma: no cover - not on POSIX
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> "BuildLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
