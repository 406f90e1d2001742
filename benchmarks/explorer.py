"""Size and load time of the explorer page on a large corpus, in headless Chromium.

Usage::

    python -m benchmarks.explorer CORPUS [--group-by bias_text] [--out DIR] [--text COL ...]

For the AllSides sample (``articles_sample50.jsonl.xz``): load -> clean + segment ->
distinctive words (grouped by ``--group-by``, default ``bias_text``; ``outlet`` compares the
20 outlets with most articles) -> ``explorer.html``. Prints each stage's seconds, the file's
size (the target is under 5 MB) and the time headless Chromium takes to load it (navigation
timing, the target is under 2 s); exits with status 1 when a target is missed. Needs Debian's
``chromium`` and ``chromium-driver`` and the ``selenium`` package (the ``dev`` extra).

The helpers :func:`find_browser` and :func:`chromium` start Chromium the way the browser test
does: headless, no sandbox, no background networking, a fresh profile.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

MAX_BYTES = 5_000_000
MAX_LOAD_SECONDS = 2.0
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)
"""Flags for a closed network: without them Chromium waits on connections it cannot make."""


def find_browser() -> tuple[str, str] | str:
    """The Chromium and chromedriver executables, or the reason they cannot be used."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    browser = next(
        (shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None
    )
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        missing = [n for n, p in (("chromium", browser), ("chromedriver", driver)) if p is None]
        return (
            f"{' and '.join(missing)} not found (Debian: apt-get install chromium chromium-driver)"
        )
    return browser, driver


@contextlib.contextmanager
def chromium(*, performance_log: bool = True) -> Iterator:
    """A headless Chromium WebDriver with a fresh profile, closed and removed afterwards.

    With ``performance_log``, the DevTools network events are recorded (see
    :func:`network_requests`).
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = find_browser()
    if isinstance(found, str):
        raise RuntimeError(found)
    browser, driver_path = found
    profile = tempfile.mkdtemp(prefix="explorer-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        driver.get("about:blank")  # leave the browser's new-tab page before anything is read
        if performance_log:
            driver.get_log("performance")
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def network_requests(driver, page: str) -> list[str]:
    """Every request the page ``page`` (a URL) made, other than for itself, from the
    DevTools ``Network.requestWillBeSent`` events of the performance log since it was last
    read. A request belongs to the page when it has the loader of the page's own request or
    names the page as its document; the browser's own pages (``chrome://``) are not the page."""
    events = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            events.append(message["params"])
    loaders = {e.get("loaderId") for e in events if e["request"]["url"] == page}
    return [
        e["request"]["url"]
        for e in events
        if (e.get("loaderId") in loaders or e.get("documentURL") == page)
        and e["request"]["url"] != page
    ]


def load_seconds(driver, path: Path) -> tuple[float, float]:
    """Open ``path``; return (navigation timing: load event end - navigation start, wall
    clock of the ``get`` call), in seconds."""
    started = time.perf_counter()
    driver.get_log("performance")  # drop what happened before, e.g. the new-tab page
    driver.get(Path(path).resolve().as_uri())
    wall = time.perf_counter() - started
    timing = driver.execute_script(
        "var t = performance.timing; return t.loadEventEnd - t.navigationStart;"
    )
    return timing / 1000, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="e.g. .../allsides_baly2020/articles_sample50.jsonl.xz")
    parser.add_argument("--group-by", default="bias_text")
    parser.add_argument("--out", type=Path, help="folder for explorer.html (default: a temp dir)")
    for name in ("text", "outlet", "id", "date", "title"):
        parser.add_argument(f"--{name}")
    args = parser.parse_args(argv)

    from analysis import measures, pipeline
    from analysis.corpus import load_corpus
    from analysis.explorer import write_explorer

    out = args.out or Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    stages = []
    started = time.perf_counter()
    mapping = {k: getattr(args, k) for k in ("text", "outlet", "id", "date", "title")}
    corpus = load_corpus(args.corpus, **mapping)
    stages.append(("load", time.perf_counter() - started))
    started = time.perf_counter()
    tables = pipeline.prepare(corpus)
    stages.append(("clean + segment", time.perf_counter() - started))
    started = time.perf_counter()
    tables = measures.measure(tables, "terms", compare=measures.Compare(group_by=args.group_by))
    stages.append(("distinctive words", time.perf_counter() - started))
    started = time.perf_counter()
    path = write_explorer(tables, out / "explorer.html")
    stages.append(("explorer.html", time.perf_counter() - started))

    print(f"corpus: {args.corpus} ({len(tables['articles']):,} articles), by {args.group_by}")
    for stage, seconds in stages:
        print(f"  {stage:<18} {seconds:8.1f} s")
    size = path.stat().st_size
    print(f"{path}: {size / 1e6:.2f} MB (target < {MAX_BYTES / 1e6:.0f} MB)")
    failed = size >= MAX_BYTES

    found = find_browser()
    if isinstance(found, str):
        print(f"load time: not measured: {found}")
        return 1
    with chromium() as driver:
        navigation, wall = load_seconds(driver, path)
        ready = driver.execute_script("return document.body.getAttribute('data-ready');")
        requests = network_requests(driver, path.resolve().as_uri())
    print(
        f"load in headless Chromium: {navigation:.2f} s navigation timing, {wall:.2f} s "
        f"driver.get (target < {MAX_LOAD_SECONDS:.0f} s); script ran: {ready == 'true'}; "
        f"other requests: {len(requests)}"
    )
    failed |= navigation >= MAX_LOAD_SECONDS or ready != "true" or bool(requests)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
