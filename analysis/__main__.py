"""Command line: ``python -m analysis {run,validate} [PATH] [options]``.

``validate PATH`` loads a corpus and prints, per outlet, the articles, words and date
range, then every rejected input with its reason and every repair made; nothing is
written. ``run [PATH]`` runs the whole analysis (the seed corpus when PATH is omitted)
and writes tables and figures. A corpus that cannot be read at all ends with a one-line
``error:`` message naming the file, row and column, and exit status 2; so does an output
folder that would overwrite an input or cannot be written, and any filesystem error met
during the run. Ctrl-C (SIGINT) and SIGTERM stop the run, its worker processes included,
with one line and exit status 130 or 143.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import warnings

try:  # the imports take a second or two: Ctrl-C during them is one line too
    import pandas as pd

    from analysis import paths
    from analysis.actors import ActorFileError
    from analysis.config import ConfigError
    from analysis.corpus import Corpus, CorpusError, load_corpus
    from analysis.lexicon import DictionaryError
    from analysis.outputs import OutputError
    from analysis.quotes import SpeakerFileError
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
    run.add_argument("--out", help="folder for tables (default data/processed)")
    run.add_argument("--figures", help="folder for figures (default figures/, or OUT/figures)")
    run.add_argument(
        "--format",
        nargs="+",
        default=None,
        choices=["pdf", "png", "svg"],
        help="figure formats (the CSV of plotted numbers is always written)",
    )
    tone = run.add_argument_group("tone")
    tone.add_argument(
        "--resample",
        choices=["article", "sentence"],
        default=None,
        help="bootstrap unit for intervals (default article; sentence intervals are too "
        "narrow for claims about an outlet: sentences of one article are not independent)",
    )
    tone.add_argument("--n-resamples", type=int, default=None, help="bootstrap resamples")
    tone.add_argument("--seed", type=int, default=None, help="random seed for resampling")
    tone.add_argument(
        "--quote-marks",
        choices=["keep", "drop"],
        default=None,
        help="keep: score sentences exactly as nltk's VADER does (default); drop: remove "
        'quotation marks first, so words next to them (disaster,") are not missed',
    )
    tone.add_argument(
        "--actors",
        help="actor YAML file for tone toward actors (without it, the seed story's actors are "
        "used on the bundled seed corpus only)",
    )
    voice = run.add_argument_group("voices")
    voice.add_argument(
        "--speakers",
        help="speaker YAML file naming and categorising who is quoted (default: the seed "
        "story's speakers on the seed corpus, role words only elsewhere)",
    )
    frame = run.add_argument_group("frames")
    frame.add_argument(
        "--dictionary",
        help="framing dictionary: a .yml/.json/.dic/.lc3/.csv file or a built-in name "
        "(default: the story dictionary on the seed corpus, policy_frames elsewhere)",
    )
    frame.add_argument(
        "--negation",
        action="store_true",
        default=None,
        help="count matches after a negator separately",
    )
    frame.add_argument(
        "--level", type=int, help="merge nested dictionary categories to this depth (1 = top)"
    )
    words = run.add_argument_group("distinctive words")
    words.add_argument(
        "--group-by",
        default=None,
        metavar="COLUMN",
        help="compare groups of articles by this column (default outlet; e.g. bias_text)",
    )
    words.add_argument("--groups", nargs="+", metavar="GROUP", help="compare only these groups")
    words.add_argument(
        "--pair",
        nargs=2,
        metavar=("FIRST", "SECOND"),
        help="the pair for the fightin' words figure (default: the two largest groups)",
    )
    words.add_argument("--min-count", type=int, help="drop rarer terms (default 2 or 5)")
    words.add_argument("--ngram-max", type=int, default=None, choices=[1, 2])
    words.add_argument("--prior", choices=["corpus", "uniform"])
    words.add_argument("--prior-scale", type=float)
    words.add_argument("--variance", choices=["full", "approximate"])
    words.add_argument(
        "--correction",
        choices=["bh", "holm"],
        help="q of the word test over every term of every comparison: Benjamini-Hochberg "
        "(default) or Holm (family-wise)",
    )
    compute = run.add_argument_group("compute (the tables do not depend on these)")
    compute.add_argument(
        "--engine",
        choices=["local", "dask"],
        default=None,
        help="local: worker processes on this machine (default); dask: a Dask cluster, "
        "a LocalCluster unless --scheduler is given (pip install 'framing-analysis[scale]')",
    )
    compute.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes (default: every core; 1 runs everything in one process)",
    )
    compute.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (--engine dask)",
    )
    compute.add_argument(
        "--partition-size",
        type=int,
        metavar="N",
        help="articles per partition of a corpus given as one file or folder (default 1000; "
        "a folder of Parquet/JSON Lines shards is read one shard per partition)",
    )
    _add_mapping(run)
    return parser


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
        from analysis import config as study
        from analysis import pipeline

        settings = study.load_config(args.config) if args.config else study.StudyConfig()
        settings = study.merge_overrides(settings, study.overrides_from_args(args))
        result = pipeline.run(**study.config_to_run_kwargs(settings), study_file=args.config)
    except (
        ConfigError,
        CorpusError,
        ActorFileError,
        DictionaryError,
        SpeakerFileError,
        OutputError,
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
