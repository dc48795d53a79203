"""Broadsheet: raw news articles in, a static, browsable news archive out."""

__version__ = "0.1.0"
