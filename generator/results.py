"""What an ingest did, in a module of its own so that a build with nothing to ingest need not load ingest's code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class IngestResult:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    kept_edited: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    #: Seeds not ingested because a content file that cannot be read holds their place.
    blocked: list[Path] = field(default_factory=list)
    #: Seeds not ingested because they repeat a story already ingested (or ingested first).
    duplicates: list[Path] = field(default_factory=list)
