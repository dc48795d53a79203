"""The command line: `python build.py [build|ingest|serve|review|check] [options]`."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from generator import __version__
from generator.config import load_config
from generator.errors import BuildError, Warnings

log = logging.getLogger("broadsheet")
DEFAULT_ROOT = Path(__file__).resolve().parent.parent


def _common_options(suppress: bool) -> argparse.ArgumentParser:
    """Options every command takes; sub-commands suppress defaults so either position works."""
    default = (lambda value: argparse.SUPPRESS) if suppress else (lambda value: value)
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--root", type=Path, default=default(None), metavar="DIR",
                        help="site root holding site.toml, seeds/ and content/ (default: the folder holding build.py)")
    parser.add_argument("--output", type=Path, default=default(None), metavar="DIR",
                        help="where the site is written, relative to the root unless absolute (default: public)")
    parser.add_argument("--strict", action="store_true", default=default(False),
                        help="treat warnings as errors: exit 1 and leave the output untouched")
    volume = parser.add_mutually_exclusive_group()
    volume.add_argument("-q", "--quiet", action="store_true", default=default(False), help="print only warnings and errors")
    volume.add_argument("-v", "--verbose", action="store_true", default=default(False), help="print each step as it happens")
    return parser


def _engine_options(suppress: bool) -> argparse.ArgumentParser:
    """Where the entity analysis runs (the `build` and `ingest` commands; before the command too, for the default build)."""
    default = (lambda value: argparse.SUPPRESS) if suppress else (lambda value: value)
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--engine", choices=("local", "dask"), default=default("local"),
                        help="where seeds' entity analysis runs: local (this machine's cores, the default) or dask "
                             "(the workers of a Dask cluster; needs requirements-cluster.txt and --scheduler)")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=default(None),
                        help="the Dask scheduler's address for --engine dask, as `dask scheduler` prints it "
                             "(for example tcp://10.0.0.5:8786)")
    return parser


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Broadsheet: turn raw news articles in seeds/ into Markdown in content/ and a static site in public/.",
        parents=[_common_options(suppress=False), _engine_options(suppress=False)],
        epilog="Exit status: 0 success (warnings allowed), 1 failure or warnings under --strict, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _common_options(suppress=True)
    engine = _engine_options(suppress=True)
    commands.add_parser("build", parents=[common, engine], help="ingest new or changed seeds, then render the site (the default)",
                        description="Ingest new or changed seeds into content/, then render the whole site.")
    ingest = commands.add_parser("ingest", parents=[common, engine], help="turn seeds into content files only",
                                 description="Turn new or changed seeds into content/articles/*.md; render nothing.")
    ingest.add_argument("--force", action="store_true",
                        help="re-ingest every seed, even unchanged ones (files edited by hand are still kept)")
    review = commands.add_parser("review", parents=[common], help="list the names the build is least sure of, with the alias that settles each",
                                 description="Read content/ as a build does (nothing is ingested or rendered) and list the "
                                             "person, place and tag entries the build is least sure of, most covered first, "
                                             "each with the content/aliases.toml line that settles it.")
    review.add_argument("--limit", type=int, default=25, help="entries shown per section (default 25)")
    commands.add_parser("check", parents=[common], help="check the built site: links, anchors, HTML, feeds, sitemap, "
                                                        "loads from other hosts, shared titles",
                        description="Check the output folder as built (nothing is built): every internal link, asset "
                                    "and anchor resolves, every page parses as HTML5, every Atom feed parses and its "
                                    "links resolve, every sitemap URL has a page, no page loads anything from another "
                                    "host, and no two pages share a title. Prints one line per problem, then a summary; "
                                    "exit status 1 when there are problems, 2 when there is no output folder.")
    serve = commands.add_parser("serve", parents=[common], help="build, serve the site locally, rebuild and reload on change",
                                description="Build the site, serve the output folder, watch seeds/, content/, themes/ and "
                                            "site.toml, rebuild what changed and reload every open page.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: only this machine can connect)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in the default web browser")
    return parser


class _Progress:
    """A progress line for long stages: redrawn in place on a terminal, every tenth otherwise."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label, self.enabled = label, enabled
        self.tty = sys.stderr.isatty()
        self.last_decile = -1
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 20:
            return
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        line = f"{self.label}: {done}/{total} seeds ({100 * done // total}%, {rate:.0f}/s)"
        if self.tty:
            sys.stderr.write("\r" + line + ("\n" if done == total else ""))
            sys.stderr.flush()
        elif (decile := 10 * done // total) != self.last_decile:
            self.last_decile = decile
            sys.stderr.write(line + "\n")


def _setup_logging(quiet: bool, verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger("broadsheet")
    root.handlers[:] = [handler]
    root.propagate = False
    root.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    command = args.command or "build"
    _setup_logging(args.quiet, args.verbose)
    root = (args.root or DEFAULT_ROOT).resolve()
    say = (lambda text: None) if args.quiet else (lambda text: print(text, flush=True))
    from generator import pipeline

    try:
        if not root.is_dir():
            raise BuildError(f"{root}: no such folder; pass the site root with --root DIR")
        config = load_config(root, args.output)
        progress = _Progress("Ingesting", enabled=not args.quiet)
        engine = None
        if command in ("build", "ingest") and (getattr(args, "engine", "local") != "local" or getattr(args, "scheduler", None)):
            from generator.ingest.cluster import make_engine  # the cluster's code is loaded only when asked for

            engine = make_engine(args.engine, args.scheduler)
        if command == "serve":
            from generator.serve import serve

            return serve(root, args.output, args.host, args.port, args.open, say=lambda text: print(text, flush=True))
        if command == "check":
            from generator.check import check_site

            if not config.output_dir.is_dir():
                print(f"{config.output_dir}: no such folder; build the site first with "
                      f"`python build.py --root {root}{' --output ' + str(args.output) if args.output else ''}`",
                      file=sys.stderr)
                return 2
            checked = check_site(config.output_dir, config.base_url)
            for problem in checked.problems:
                print(problem, flush=False)
            say(checked.summary())
            return 1 if checked.problems else 0
        if command == "review":
            from generator.decisions.names import load_aliases
            from generator.decisions.review import format_queue, review_queue

            warnings = Warnings()
            builder = pipeline.Builder(config)
            articles = builder.load_content(warnings)
            decisions = builder.page_decisions(articles)
            aliases = load_aliases(config.content_dir / "aliases.toml")
            print(format_queue(review_queue(decisions, aliases, articles, builder.gazetteer_lookup), limit=args.limit), end="", flush=True)
            return 1 if args.strict and warnings else 0
        if command == "ingest":
            started = time.perf_counter()
            warnings = Warnings()
            result = pipeline.run_ingest(config, warnings, force=args.force, progress=progress, engine=engine)
            held = (f", {len(result.duplicates)} duplicate(s) left out" if result.duplicates else "") + (
                f", {len(result.blocked)} held back by unreadable content files" if result.blocked else "")
            say(f"Ingested {len(result.written)} seed(s), {result.unchanged} unchanged, "
                f"{len(result.kept_edited)} kept (edited by hand), {len(result.skipped)} skipped{held}; "
                f"{len(warnings)} warning(s) in {time.perf_counter() - started:.1f} s")
            return 1 if args.strict and warnings else 0
        result = pipeline.build(config, strict=args.strict, progress=progress, engine=engine, last_in_process=True)
        if result.unchanged:
            done = "nothing changed"
        else:
            done = f"{result.rendered} written" + (f", {result.removed} removed" if result.removed else "")
        say(f"Built {result.articles} article(s) ({len(result.ingest.written)} newly ingested), "
            f"{result.files} file(s) in {config.output_dir.name}/ ({done}), {len(result.warnings)} warning(s) "
            f"in {result.seconds:.1f} s")
        return 1 if args.strict and result.warnings else 0
    except BuildError as exc:
        log.error("%s", exc)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted; the output was left as it was")
        return 1
