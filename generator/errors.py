"""Errors that the command line turns into a clear message and an exit code."""


class BuildError(Exception):
    """A problem that stops the build; the message names the file and what to do."""
