"""Settings: names users set, `.env` files and malformed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.config import load_settings
from bot.core.errors import ConfigError


def test_defaults_use_the_embedded_model_and_seeds(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.uses_embedded_model
    assert settings.corpus_dir == Path("seeds")
    assert settings.vectorstore_dir == Path("vectorstore")
    assert settings.context_budget == 250


def test_env_file_and_openai_variable_names(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / ".env").write_text(
        "OPENAI_BASE_URL=http://localhost:11434/v1\nOPENAI_API_KEY=sk-secret\n"
        "BOT_CHAT_MODEL=llama3.1\nBOT_TOP_K=6\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.openai_base_url == "http://localhost:11434/v1"
    assert settings.chat_model == "llama3.1"
    assert settings.top_k == 6
    assert "sk-secret" not in repr(settings)
    monkeypatch.setenv("BOT_TOP_K", "3")
    assert load_settings().top_k == 3  # the environment wins over .env


def test_blank_base_url_means_embedded(monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "  ")
    assert load_settings().uses_embedded_model


@pytest.mark.parametrize(
    ("name", "value"), [("BOT_TOP_K", "many"), ("BOT_UI_PORT", "99999"), ("BOT_TIMEOUT", "-1")]
)
def test_malformed_value_is_one_sentence_naming_the_variable(monkeypatch, name, value) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert name in message and ".env.example" in message and "\n" not in message


def test_malformed_dotenv_value(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_MIN_RELEVANCE=high\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="BOT_MIN_RELEVANCE"):
        load_settings()
