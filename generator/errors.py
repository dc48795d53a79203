"""Errors and warnings: each names the file and says what to do."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

log = logging.getLogger("broadsheet")


class BuildError(Exception):
    """A problem that stops the build; the message names the file and what to do."""


@dataclass
class Warnings:
    """Warnings gathered during one build, so the summary can count them and --strict can fail."""

    messages: list[str] = field(default_factory=list)

    def warn(self, where: str, message: str) -> None:
        text = f"{where}: {message}"
        self.messages.append(text)
        log.warning(text)

    def __len__(self) -> int:
        return len(self.messages)
