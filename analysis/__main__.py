"""Command line: ``python -m analysis {run,validate,code-sheet} [PATH] [options]``.

``validate PATH`` loads a corpus and prints, per outlet, the articles, words and date
range, then every rejected input with its reason and every repair made; nothing is
written. ``run [PATH]`` runs the whole analysis (the seed corpus when PATH is omitted)
and writes tables and figures. A corpus that cannot be read at all ends with a one-line
``error:`` message naming the file, row and column, and exit status 2; so does an output
folder that would overwrite an input or cannot be written, and any filesystem error met
during the run. Ctrl-C (SIGINT) and SIGTERM stop the run, its worker processes included,
with one line and exit status 130 or 143. ``code-sheet [RUN_DIR] --codebook CB --sample N``
draws articles from a finished run and writes coding sheets (:mod:`analysis.coding`).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
import warnings

try:  # the imports take a second or two: Ctrl-C during them is one line too
    import pandas as pd

    from analysis import paths
    from analysis.actors import ActorFileError
    from analysis.classify import ModelFileError
    from analysis.coding import CodebookError, CodingError
    from analysis.config import ConfigError
    from analysis.corpus import Corpus, CorpusError, load_corpus
    from analysis.lexicon import DictionaryError
    from analysis.outputs import OutputError
    from analysis.quotes import SpeakerFileError
    from analysis.timeline import EventFileError
    from analysis.topics import TopicModelError
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    sys.exit(130)


def _add_mapping(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("column mapping (detected when obvious)")
    for name in ("text", "outlet", "id", "date", "title"):
        group.add_argument(f"--{name}", metavar="COLUMN", help=f"the column holding the {name}")
    group.add_argument(
        "--dayfirst",
        action="store_true",
        default=None,
        help="read numeric dates as D/M/Y (default M/D/Y)",
    )
    group.add_argument(
        "--max-chars",
        type=int,
        metavar="N",
        help="reject texts longer than N characters (default 1,000,000; none is cut)",
    )


def _mapping(args: argparse.Namespace) -> dict:
    names = ("text", "outlet", "id", "date", "title", "dayfirst")
    mapping = {name: getattr(args, name) for name in names}
    mapping["dayfirst"] = bool(mapping["dayfirst"])
    if args.max_chars is not None:
        mapping["max_chars"] = args.max_chars
    return mapping


def _add_talk(parser: argparse.ArgumentParser, *, default) -> None:
    """``-v`` and ``-q``, on the program and on each subcommand, so that both
    ``python -m analysis -q run`` and ``python -m analysis run -q`` work (a subcommand's
    defaults are suppressed, so they do not undo an option given before it)."""
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default,
        help="also log details within stages",
    )
    talk.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default,
        help="no stage lines and no progress bars: warnings, errors and the final line only",
    )


RUN_GROUPS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, ("output", "figures")),
    ("tone", ("resampling", "tone")),
    ("voices", ("voices",)),
    ("frames", ("frames",)),
    ("distinctive words", ("compare", "words")),
    ("compute (the tables do not depend on these)", ("compute",)),
    ("column mapping (detected when obvious)", ("corpus",)),
)
"""The ``run`` help's argument groups, in order: title (None: the options) -> sections."""
SHORT_FLAGS = {"--jobs": "-j"}
"""One-letter aliases of study flags."""


def _help(meta: dict) -> str:
    """A flag's help: the key's description, ``null:`` read as the default, and the default
    added when the description does not say it (``%`` escaped for argparse)."""
    text = re.sub(r"\bnull: ", "default: ", meta["doc"])
    default = meta["default"]
    if default is not None and default is not False and "default" not in text:
        if isinstance(default, tuple):
            shown = " ".join(map(str, default))
        elif isinstance(default, int) and not isinstance(default, bool) and default >= 10_000:
            shown = f"{default:,}"
        else:
            shown = str(default)
        text = (
            f"{text[:-1]}; default {shown})" if text.endswith(")") else f"{text} (default {shown})"
        )
    return text.replace("%", "%%")


def _add_study_flags(parser: argparse.ArgumentParser) -> None:
    """A flag for every study key that has one (:func:`analysis.config.schema`), in the
    argument group of its section. Each defaults to None, so a flag not typed leaves the
    file's value (:func:`analysis.config.overrides_from_args`)."""
    from analysis.config import CLI_KEYS, schema

    dests = {key: dest for dest, key in CLI_KEYS.items()}
    by_section: dict[str, dict[str, dict]] = {}
    for key, meta in schema().items():
        if meta.get("flag"):
            by_section.setdefault(key.split(".")[0], {})[key] = meta
    placed = {section for _, sections in RUN_GROUPS for section in sections}
    extra = [(section, (section,)) for section in by_section if section not in placed]
    for title, sections in [*RUN_GROUPS, *extra]:
        target = parser if title is None else parser.add_argument_group(title)
        for section in sections:
            for key, meta in by_section.get(section, {}).items():
                names = [SHORT_FLAGS[meta["flag"]]] if meta["flag"] in SHORT_FLAGS else []
                target.add_argument(*names, meta["flag"], dest=dests[key], **_flag_options(meta))


def _flag_options(meta: dict) -> dict:
    """``add_argument``'s options for a key: its type, arity, choices, metavar and help."""
    options = {"default": None, "help": _help(meta)}
    kind = meta["kind"]
    if kind == "bool":
        options["action"] = "store_true"
    elif kind.startswith("list["):
        low, high = meta.get("length", (None, None))
        options["nargs"] = low if low is not None and low == high else "+"
    elif kind in ("int", "float"):
        options["type"] = int if kind == "int" else float
    if meta.get("choices") is not None:
        options["choices"] = list(meta["choices"])
    if meta.get("metavar") is not None:
        options["metavar"] = meta["metavar"]
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis", description="Compare how news outlets frame one story."
    )
    _add_talk(parser, default=False)
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a corpus and report every rejection")
    validate.add_argument("path", help="folder of .txt (+ metadata.csv), CSV/TSV, JSONL, Parquet")
    _add_mapping(validate)
    _add_talk(validate, default=argparse.SUPPRESS)

    run = commands.add_parser("run", help="run the analysis and write tables and figures")
    run.add_argument(
        "path", nargs="?", default=None, help=f"the corpus (default: the seed corpus, {paths.RAW})"
    )
    run.add_argument(
        "--config",
        metavar="FILE",
        help="study configuration (YAML, see config/seed-study.yml); flags given here override it",
    )
    _add_talk(run, default=argparse.SUPPRESS)
    _add_study_flags(run)
    _add_coding_commands(commands)
    return parser


def _add_coding_commands(commands) -> None:
    sheet = commands.add_parser(
        "code-sheet",
        help="draw a sample of a run's articles and write coding sheets for people",
        description="Draw articles at random within each outlet (or --by group) from a "
        "finished run and write one coding sheet per coder (CSV and XLSX), a key and the "
        "codebook into --out.",
    )
    sheet.add_argument(
        "run_dir",
        nargs="?",
        default=str(paths.PROCESSED),
        help=f"a finished run's output folder (default: {paths.PROCESSED})",
    )
    sheet.add_argument(
        "--codebook",
        required=True,
        metavar="FILE",
        help="a codebook (YAML), or a shipped one by name: seed_story, policy_frames",
    )
    sheet.add_argument("--sample", type=int, required=True, metavar="N", help="articles to draw")
    sheet.add_argument("--by", default="outlet", metavar="COLUMN", help="stratify by (outlet)")
    sheet.add_argument(
        "--coders", default="2", help="how many coders (2), or their names: --coders ana,ben"
    )
    sheet.add_argument(
        "--overlap",
        type=float,
        default=1.0,
        metavar="SHARE",
        help="share of the articles every coder codes, for reliability (default 1: all)",
    )
    sheet.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    sheet.add_argument("--out", required=True, metavar="FOLDER", help="a new folder for the sheets")
    _add_talk(sheet, default=argparse.SUPPRESS)


def format_report(corpus: Corpus) -> str:
    """The text that ``validate`` prints for a loaded corpus."""
    lines = [f"corpus: {corpus.source}"]
    summary = corpus.summary()
    with pd.option_context("display.width", 120, "display.max_colwidth", 48):
        lines.append(summary.to_string(index=False))
    unaccounted = corpus.n_input - len(corpus.articles) - len(corpus.rejected)
    lines.append(
        f"\ninputs: {corpus.n_input}  loaded: {len(corpus.articles)}  "
        f"rejected: {len(corpus.rejected)}  unaccounted: {unaccounted}"
    )
    if len(corpus.rejected):
        lines.append("\nrejected:")
        for row in corpus.rejected.itertuples(index=False):
            where = row.source_file + (
                f", row {row.source_row}" if pd.notna(row.source_row) else ""
            )
            column = f", column {row.column!r}" if pd.notna(row.column) else ""
            lines.append(f"  {where}{column}: {row.reason}")
    if len(corpus.repairs):
        lines.append(f"\nrepairs ({len(corpus.repairs)}):")
        for repair, count in corpus.repairs["repair"].value_counts().items():
            lines.append(f"  {count:6d} x {repair}")
    return "\n".join(lines)


def _code_sheet(args: argparse.Namespace) -> int:
    from analysis import coding

    coders = int(args.coders) if args.coders.isdigit() else args.coders.split(",")
    codebook = coding.read_codebook(args.codebook)
    tables = coding.read_run_tables(args.run_dir, ("articles", "sentences", "quotes"))
    try:
        files = coding.write_sheets(
            tables,
            codebook,
            args.out,
            n=args.sample,
            by=args.by,
            coders=coders,
            overlap=args.overlap,
            seed=args.seed,
        )
    except ValueError as error:  # a bad --sample, --by, --coders or --overlap
        print(f"error: {error}", file=sys.stderr)
        return 2
    key = coding.read_sheet_key(args.out)
    print(
        f"{key['article_id'].nunique()} articles, {len(key)} units "
        f"({', '.join(f'{n} {u}s' for u, n in key['unit'].value_counts(sort=False).items())}); "
        f"wrote {len(files)} files to {args.out}"
    )
    return 0


def _print_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose and args.quiet:
        parser.error("-q/--quiet and -v/--verbose cannot be used together")
    level = logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("analysis").setLevel(level)  # our stage lines, not other libraries'
    if args.quiet:
        os.environ["TQDM_DISABLE"] = "1"  # tqdm's own switch; bars show on a terminal only
    previous, warnings.showwarning = warnings.showwarning, _print_warning
    on_term = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run_command(args)
    finally:
        warnings.showwarning = previous
        signal.signal(signal.SIGTERM, on_term)


class Terminated(BaseException):
    """SIGTERM arrived: raised in the main process so that ``with`` blocks and ``finally``
    clauses (the worker pool's shutdown, temporary folders) run before the exit."""


def _terminate(signum, frame) -> None:
    raise Terminated


def _os_message(error: OSError) -> str:
    """One line naming the path (or paths) and the system's reason."""
    if error.filename is None:
        return str(error)
    where = str(error.filename)
    if error.filename2 is not None:
        where += f" -> {error.filename2}"
    return f"{where}: {error.strerror or error}"


def _run_command(args: argparse.Namespace) -> int:
    try:
        if args.command == "validate":
            print(format_report(load_corpus(args.path, **_mapping(args))))
            return 0
        if args.command == "code-sheet":
            return _code_sheet(args)
        from analysis import config as study
        from analysis import pipeline

        settings = study.load_config(args.config) if args.config else study.StudyConfig()
        settings = study.merge_overrides(settings, study.overrides_from_args(args))
        result = pipeline.run(config=settings, study_file=args.config)
    except (
        ConfigError,
        CorpusError,
        CodebookError,
        CodingError,
        FileExistsError,
        FileNotFoundError,
        ActorFileError,
        DictionaryError,
        SpeakerFileError,
        OutputError,
        ModelFileError,
        TopicModelError,
        EventFileError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {_os_message(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("terminated", file=sys.stderr)
        return 143
    counts = result.manifest["counts"]
    print(
        f"{counts['articles']} articles ({counts['rejected']} rejected), "
        f"{counts['sentences']} sentences, {counts['quotes']} quotes; "
        f"wrote {len(result.files)} files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
