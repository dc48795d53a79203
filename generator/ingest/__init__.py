"""Ingest: seeds to content files, one small module per step.

decode (bytes → text) → clean (title, paragraphs, furniture removed) → metadata (dateline,
date, byline, summary) → entities (persons, places, organizations) and tags → `stage`,
which writes one Markdown file with front matter per seed.
"""

from generator.ingest.stage import (
    Analyzer,
    Engine,
    EntityAnalysis,
    IngestResult,
    Progress,
    analysis_text,
    ingest,
)

__all__ = ["Analyzer", "Engine", "EntityAnalysis", "IngestResult", "Progress", "analysis_text", "ingest"]
