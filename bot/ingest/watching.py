"""`bot ingest --watch`: keep the store in line with a folder as articles arrive, change and go.

Every change is mirrored by the same incremental ingest as `bot ingest` (so the store always
equals a clean ingest of the folder), once the folder has been quiet for BOT_WATCH_DEBOUNCE
seconds: a file still being written, or a burst of copies, costs one pass, not one per event.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from bot.core.config import Settings
from bot.core.errors import BotError, CorpusError
from bot.documents.loading import is_article_file
from bot.ingest.pipeline import ingest

log = logging.getLogger(__name__)

RETRIES = 3
"""Passes a file that could not be read (half-written, locked) is given before waiting for
its next change."""


class _Changes(FileSystemEventHandler):
    """Raises a flag on any event that can change what ingest reads."""

    def __init__(self, flag: threading.Event) -> None:
        self.flag = flag

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Articles and folders count; editors' swap files and other formats do not."""
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if event.is_directory or any(
            is_article_file(Path(os.fsdecode(p)).name) for p in paths if p
        ):
            self.flag.set()


def watch(
    settings: Settings,
    corpus_dir: Path | None = None,
    *,
    stop: threading.Event | None = None,
    notify: Callable[[str], None] = log.warning,
) -> None:
    """Ingest now, then after every quiet spell following a change, until `stop` is set.

    `notify` hears each pass that changed something (its summary line) and each that could not
    run (the error's sentence); a failed pass, or one that skipped an unreadable file, is tried
    again after the next quiet spell, RETRIES times, then waits for the next change.
    """
    root = corpus_dir or settings.corpus_dir
    if not root.is_dir():
        raise CorpusError(f"{root} is not a folder; create it or point --watch at another one.")
    stop = stop or threading.Event()
    changed = threading.Event()
    observer = Observer()
    observer.schedule(_Changes(changed), str(root), recursive=True)
    observer.start()
    failures = 0
    try:
        changed.set()  # the first pass brings the store in line with the folder as it is
        while not stop.is_set():
            if changed.wait(timeout=0.2) and _quiet(changed, settings.watch_debounce, stop):
                failed = _sync(settings, root, notify)
                failures = failures + 1 if failed else 0
                if failed and failures <= RETRIES:
                    changed.set()
    finally:
        observer.stop()
        observer.join()


def watch_in_background(settings: Settings) -> Callable[[], None]:
    """Watch BOT_CORPUS_DIR from a thread of this process, as `bot ui --watch` and
    `bot serve --watch` do: a local Chroma store is safe for one process only, so the chat
    that reads it should be the one that writes it. Returns what stops the watch."""
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(settings,), kwargs={"stop": stop}, name="bot-watch", daemon=True
    )
    thread.start()

    def halt() -> None:
        stop.set()
        thread.join(timeout=30)

    return halt


def _sync(settings: Settings, root: Path, notify: Callable[[str], None]) -> bool:
    """One incremental ingest; True when it should be tried again (an error, a skipped file)."""
    try:
        report = ingest(settings, root, progress=False)
    except BotError as exc:  # another ingest holds the store, the folder was emptied...
        notify(str(exc))
        return True
    if report.added or report.removed or report.skipped:
        notify(report.summary())
    return bool(report.skipped)


def _quiet(changed: threading.Event, seconds: float, stop: threading.Event) -> bool:
    """Wait until no change has come for `seconds`; False when told to stop first."""
    while changed.is_set():
        changed.clear()
        if stop.wait(seconds):
            return False
    return True
