"""A folder of ``.txt`` files, in subfolders or not, with or without a metadata table.

Every ``.txt`` file below the folder is found (sorted by its path relative to the folder,
written with ``/``). With a metadata table, each row names one file and each file must be
named by a row, or it is rejected. Without one, a file's id is its path relative to the folder
without ``.txt`` (``bbc/001``; a file at the top level keeps its stem) and its outlet is the
name of the top-level subfolder it is in (``bbc``), or ``"unknown"`` at the top level.

Nothing outside the folder is read: a path in the metadata that leaves the folder, a symbolic
link to a file outside, and the files of a symbolic link to a folder outside are rejected. A
symbolic link to a folder inside is not followed (its files are found under their own path).
A subfolder that cannot be listed is rejected as one input (its files are unknown).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath, PurePosixPath

from analysis.corpus.decode import NotText, decode_bytes
from analysis.corpus.readers import read_table
from analysis.corpus.records import (
    Records,
    as_label,
    column_values,
    format_names,
    take_rows,
    too_long,
)
from analysis.corpus.tables import MAX_CHARS, CorpusError


def read_folder(
    folder: Path, label: str, metadata, encoding: str | None, max_chars: int = MAX_CHARS
) -> Records:
    """Records of the ``.txt`` files below ``folder``, joined with their metadata rows.

    Parameters
    ----------
    folder : pathlib.Path
        The corpus folder.
    label : str
        The folder as the user gave it, for messages.
    metadata : str, pathlib.Path or None
        The metadata table; default ``<folder>/metadata.csv`` when that file exists.
    encoding : str or None
        Codec for every file, or None to detect it.
    max_chars : int
        A file of more than ``4 * max_chars`` bytes holds more than ``max_chars`` characters
        in any encoding: it is rejected without being read.

    Returns
    -------
    Records
        One record per readable file; every other file or metadata row is in ``rejected``.

    Raises
    ------
    CorpusError
        ``metadata=`` does not exist, the metadata has no ``file`` column, or there is
        nothing to load (no ``.txt`` file and no metadata row).
    """
    root = folder.resolve()
    meta_path = Path(metadata) if metadata is not None else folder / "metadata.csv"
    if metadata is not None and not meta_path.is_file():
        raise CorpusError(f"{meta_path}: metadata file not found")
    meta, rejected, repairs, wanted, named, n_input = None, [], [], {}, set(), 0
    if meta_path.is_file():
        meta = read_table(meta_path, str(meta_path), encoding)
        rejected, repairs, n_input = meta.rejected, meta.repairs, meta.n_input
        file_col = next((c for c in meta.columns if str(c).lower() == "file"), None)
        if file_col is None and meta.rows:
            raise CorpusError(
                f"{meta_path}: no 'file' column naming the text files "
                f"(columns: {format_names(meta.columns)})"
            )
        names = column_values(meta.columns, file_col) if meta.rows else []
        for j, (name, line) in enumerate(zip(names, meta.rows, strict=True)):
            name = as_label(name)
            key = name and _key(name)
            problem = _metadata_problem(folder, root, name, wanted.get(key))
            if problem:
                rejected.append((str(meta_path), line, None, file_col, problem))
            else:
                wanted[key] = (name, j, line)
            named.add(key)
    found, unlisted = _find_txt(folder, root)
    for path, err in unlisted:  # the files in a folder that cannot be listed are unknown
        rejected.append((path, None, None, None, f"cannot list this folder ({err})"))
        n_input += 1
    for name in found:
        if meta is None:
            wanted[_key(name)] = (name, None, None)
        elif _key(name) in named:
            continue  # accounted for by its metadata row
        else:
            reason = f"no row for this file in {meta_path.name}"
            rejected.append((str(folder / name), None, file_id(name), None, reason))
        n_input += 1
    if n_input == 0:
        raise CorpusError(f"{label}: no .txt files in this folder or its subfolders")
    texts, meta_rows, files, notes, ids = [], [], [], [], []
    for name, j, _line in sorted(wanted.values(), key=lambda w: _posix(w[0])):
        path = folder / name
        try:
            if not path.resolve().is_relative_to(root):
                raise NotText(
                    "symbolic link to a file outside the corpus folder"
                    if path.is_symlink()
                    else "in a symbolic link to a folder outside the corpus folder (not read)"
                )
            size = path.stat().st_size
            if size > 4 * max_chars:  # 4 bytes per character at most (UTF-8, UTF-32)
                raise NotText(too_long(size, max_chars, exact=False))
            data = path.read_bytes()
            if not data:
                raise NotText("empty file (0 bytes)")
            content, note = decode_bytes(data, encoding)
        except OSError as err:
            reason = f"cannot read the file ({err.strerror or err})"
            rejected.append((str(path), None, file_id(name), None, reason))
        except (NotText, UnicodeDecodeError) as err:
            rejected.append((str(path), None, file_id(name), None, str(err)))
        else:
            texts.append(content)
            meta_rows.append(j)
            files.append(str(path))
            notes.append([(None, note)] if note else [])
            ids.append(file_id(name))
    columns = take_rows(meta.columns, meta_rows, list(meta.columns)) if meta else {}
    return Records(
        columns,
        [None] * len(texts),
        files,
        n_input,
        rejected,
        repairs,
        texts,
        notes,
        ids,
        None if meta else [_subfolder(i) for i in ids],
    )


def _metadata_problem(folder: Path, root: Path, name: str | None, listed) -> str | None:
    """Why a metadata row's file cannot be read, or None when it can."""
    if not name:
        return "no file named"
    try:
        if not (folder / name).resolve().is_relative_to(root):
            return f"path {name!r} is outside the corpus folder"
        if listed is not None:
            return f"file {name!r} already listed at row {listed[2]}"
        if not (folder / name).is_file():
            return f"no such file {name!r}"
    except (OSError, ValueError) as err:  # a NUL byte in the name, a name too long, ...
        return f"not a usable file name {name!r} ({err})"
    return None


def file_id(name: str) -> str:
    """The id of a file without an id in metadata: its relative path without the suffix.

    >>> file_id("bbc/001.txt"), file_id("000_b497ab7e464d9db6.txt")
    ('bbc/001', '000_b497ab7e464d9db6')
    """
    return PurePosixPath(_posix(name)).with_suffix("").as_posix()


def _subfolder(article_id: str) -> str | None:
    """The top-level subfolder of a file (its outlet without metadata), None at the top."""
    top, sep, _ = article_id.partition("/")
    return top if sep else None


def _posix(name: str) -> str:
    """A relative path, normalised and written with ``/``."""
    return PurePath(os.path.normpath(name)).as_posix()


def _key(name: str) -> str:
    """A relative path as compared between metadata rows and files found."""
    return os.path.normcase(os.path.normpath(name))


def _find_txt(folder: Path, root: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """The ``.txt`` files below ``folder`` and the subfolders that could not be listed.

    Returns the files' relative POSIX paths, sorted, and ``(folder, error)`` for each folder
    that could not be listed. A symbolic link to a folder is not followed: when it points
    inside the corpus, its files are found under their own path; when it points outside, its
    files are listed (without following further links) so that they can be rejected, never
    read.
    """
    found, unlisted = [], []

    def failed(err: OSError) -> None:
        unlisted.append((str(err.filename), err.strerror or str(err)))

    for top, dirs, files in os.walk(folder, onerror=failed):
        here = Path(top)
        for name in [d for d in dirs if (here / d).is_symlink()]:
            dirs.remove(name)
            link = here / name
            if not link.resolve().is_relative_to(root):
                for inner, _, inner_files in os.walk(link, onerror=failed):
                    found.extend(_txt(Path(inner), inner_files, folder))
        found.extend(_txt(here, files, folder))
    return sorted(found), unlisted


def _txt(where: Path, files: list, folder: Path) -> list[str]:
    """The ``.txt`` names among ``files`` of ``where``, relative to ``folder``."""
    return [
        (where / f).relative_to(folder).as_posix()
        for f in files
        if PurePath(f).suffix.lower() == ".txt"
    ]
