"""A run's outputs appear whole or not at all.

A run writes every table and figure into staging folders beside its output folders
(``.NAME.partial-PID``) and only then publishes them (:meth:`Stage.publish`): the previous
run's ``manifest.json`` goes first, the new files are moved in one by one (each move is an
atomic rename on one file system), the previous run's files that this run did not write are
removed, and the new ``manifest.json`` comes last. So an output folder holds either the
previous run, untouched, or the new one, and never a manifest beside another run's tables;
a folder without a manifest is a run that did not finish. Signals are held while publishing
(:func:`signals_held`), which takes milliseconds. Files in the output folders that no run
wrote (a user's notes) are left alone.

A lock file in each output folder (:data:`LOCK_NAME`) stops a second run into the same
folder at once, with a message naming the process that holds it; a lock left by a process
that no longer exists is taken over. Whatever ends the run (an error, Ctrl-C, SIGTERM), the
staging folders and the locks are removed; the staging folders of a run that was killed
outright (SIGKILL, a power cut) are removed by the next run into the same folders.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = ".framing-analysis.lock"
"""The lock file a run keeps in each of its output folders while it runs."""

MANIFEST = "manifest.json"


class OutputFolderBusy(RuntimeError):
    """Another run is writing to the same output folder."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _take_lock(folder: Path) -> Path:
    """Create ``folder/LOCK_NAME`` holding this process's id, or raise
    :class:`OutputFolderBusy` when a live process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK_NAME
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                holder = int(lock.read_text(encoding="utf-8").strip() or 0)
            except (OSError, ValueError):
                holder = 0
            if holder and holder != os.getpid() and _alive(holder):
                raise OutputFolderBusy(
                    f"{folder}: another run (process {holder}) is writing to this folder; "
                    f"wait for it to finish, or delete {lock} if that process is gone"
                ) from None
            lock.unlink(missing_ok=True)  # left by a process that no longer runs
            continue
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")
        return lock
    raise OutputFolderBusy(f"{folder}: could not take the lock {lock}")


_STOPS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back while the block runs, then handled as they would have
    been (in the main thread only: signal handlers belong to it). Used while publishing a
    run and while the engine's pool starts a worker."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    before = {n: signal.signal(n, lambda n, _: caught.append(n)) for n in _STOPS}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)


@dataclass(frozen=True)
class Stage:
    """Where a run writes (``out``, ``figures``) and where its files end up (``final_out``,
    ``final_figures``)."""

    final_out: Path
    final_figures: Path
    out: Path
    figures: Path

    def _pairs(self) -> list[tuple[Path, Path]]:
        """(staging folder, final folder), the figures first when they sit inside ``out``."""
        pairs = [(self.figures, self.final_figures), (self.out, self.final_out)]
        if self.figures.is_relative_to(self.out):
            pairs = pairs[1:]
        return pairs

    def final(self, path: str | Path) -> Path:
        """Where the staged ``path`` is published."""
        path = Path(path)
        for staged, final in sorted(self._pairs(), key=lambda p: -len(p[0].parts)):
            if path.is_relative_to(staged):
                return final / path.relative_to(staged)
        return path

    def publish(self) -> list[Path]:
        """Move the staged files into the output folders, as the module docstring says.

        Returns
        -------
        list of Path
            The published files, the manifest last.
        """
        staged = [
            path
            for folder, _ in self._pairs()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.is_symlink()
        ]
        manifest = self.out / MANIFEST
        staged = [path for path in staged if path != manifest]
        with signals_held():
            earlier = self._previous_outputs()
            (self.final_out / MANIFEST).unlink(missing_ok=True)
            published = []
            for path in staged:
                target = self.final(path)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                published.append(target)
            kept = {path.resolve() for path in published} | {(self.final_out / MANIFEST).resolve()}
            for stale in earlier - kept:
                stale.unlink(missing_ok=True)
            if manifest.is_file():
                os.replace(manifest, self.final_out / MANIFEST)
                published.append(self.final_out / MANIFEST)
        return published

    def _previous_outputs(self) -> set[Path]:
        """The files the previous run's manifest lists, inside this run's output folders."""
        try:
            listed = json.loads((self.final_out / MANIFEST).read_text(encoding="utf-8"))
            outputs = [Path(p) for p in listed.get("outputs", [])]
        except (OSError, ValueError, AttributeError, TypeError):
            return set()
        folders = [self.final_out.resolve(), self.final_figures.resolve()]
        resolved = {path.resolve() for path in outputs if path.is_file()}
        return {path for path in resolved if any(path.is_relative_to(f) for f in folders)}


@contextmanager
def staged(out_dir: str | Path, figures_dir: str | Path) -> Iterator[Stage]:
    """Lock the output folders and make staging folders beside them for one run.

    Yields a :class:`Stage`; the run writes into ``stage.out`` and ``stage.figures`` and
    calls :meth:`Stage.publish` when it has finished. On leaving, however that happens, the
    staging folders and the locks are removed.
    """
    final_out = Path(out_dir).absolute()
    final_figures = Path(figures_dir).absolute()
    tag = f"partial-{os.getpid()}"
    out = final_out.parent / f".{final_out.name}.{tag}"
    if final_figures.is_relative_to(final_out):
        figures = out / final_figures.relative_to(final_out)
        roots = [out]
    else:
        figures = final_figures.parent / f".{final_figures.name}.{tag}"
        roots = [out, figures]
    locks = []
    try:
        locks.append(_take_lock(final_out))
        if not final_figures.is_relative_to(final_out):
            locks.append(_take_lock(final_figures))
        for final in {final_out, final_figures}:  # staging folders of runs that were killed
            for left in final.parent.glob(f".{final.name}.partial-*"):
                pid = left.name.rpartition("-")[2]
                if pid.isdigit() and not _alive(int(pid)):
                    shutil.rmtree(left, ignore_errors=True)
        out.mkdir(parents=True)
        figures.mkdir(parents=True, exist_ok=True)
        yield Stage(final_out, final_figures, out, figures)
    finally:
        for root in roots:
            shutil.rmtree(root, ignore_errors=True)
        for lock in locks:
            lock.unlink(missing_ok=True)
