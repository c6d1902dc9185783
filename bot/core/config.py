"""One typed settings object, read from the environment and `.env`."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.errors import ConfigError
from bot.core.model_catalog import DEFAULT_LOCAL_MODEL, LOCAL_MODELS, LocalModel
from bot.core.thresholds import Thresholds

DEFAULT_EMBEDDINGS_MODEL = "multilingual-e5-small"
_SECRET_FIELDS = {"openai_api_key", "ui_auth", "api_key"}


def default_cache_dir() -> Path:
    """Where joined model files live unless BOT_MODEL_CACHE says otherwise."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsbot" / "models"


def usable_cores() -> int:
    """The CPUs this process may run on (a container's share, not the host's): what "every
    core" means in BOT_LOCAL_THREADS and BOT_EMBED_THREADS."""
    return max(1, len(os.sched_getaffinity(0)))


def _env(name: str) -> AliasChoices:
    """Accept the variable name exactly as users write it in their shell or `.env`."""
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """Every knob of the bot; each field maps to one variable listed in `.env.example`."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        frozen=True,
    )

    openai_base_url: str | None = Field(None, validation_alias=_env("OPENAI_BASE_URL"))
    openai_api_key: SecretStr | None = Field(None, validation_alias=_env("OPENAI_API_KEY"))
    chat_model: str | None = Field(None, validation_alias=_env("BOT_CHAT_MODEL"))
    embeddings_model: str = Field(
        DEFAULT_EMBEDDINGS_MODEL, validation_alias=_env("BOT_EMBEDDINGS_MODEL")
    )
    embeddings_base_url: str | None = Field(None, validation_alias=_env("BOT_EMBEDDINGS_BASE_URL"))
    corpus_dir: Path = Field(Path("seeds"), validation_alias=_env("BOT_CORPUS_DIR"))
    vectorstore_dir: Path = Field(Path("vectorstore"), validation_alias=_env("BOT_VECTORSTORE_DIR"))
    collection: str = Field("news", validation_alias=_env("BOT_COLLECTION"))
    chroma_url: str | None = Field(None, validation_alias=_env("BOT_CHROMA_URL"))

    retriever: Literal["hybrid", "dense"] = Field("hybrid", validation_alias=_env("BOT_RETRIEVER"))
    top_k: int = Field(4, ge=1, le=50, validation_alias=_env("BOT_TOP_K"))
    min_relevance: float = Field(0.72, ge=-1.0, le=1.0, validation_alias=_env("BOT_MIN_RELEVANCE"))
    min_quote_relevance: float = Field(
        0.81, ge=-1.0, le=1.0, validation_alias=_env("BOT_MIN_QUOTE_RELEVANCE")
    )
    judge: bool = Field(False, validation_alias=_env("BOT_JUDGE"))
    second_reading: bool = Field(True, validation_alias=_env("BOT_SECOND_READING"))
    min_answerable: float = Field(0.0, ge=0.0, le=1.0, validation_alias=_env("BOT_MIN_ANSWERABLE"))
    min_quote_confidence: float = Field(
        0.0, ge=0.0, le=1.0, validation_alias=_env("BOT_MIN_QUOTE_CONFIDENCE")
    )
    thresholds: Thresholds = Field(
        default_factory=Thresholds, validation_alias=_env("BOT_THRESHOLDS")
    )
    context_tokens: int | None = Field(
        None, ge=100, le=100_000, validation_alias=_env("BOT_CONTEXT_TOKENS")
    )
    chunk_tokens: int = Field(160, ge=32, le=2000, validation_alias=_env("BOT_CHUNK_TOKENS"))
    chunk_overlap: int = Field(32, ge=0, le=500, validation_alias=_env("BOT_CHUNK_OVERLAP"))
    max_file_mb: float = Field(20.0, gt=0, validation_alias=_env("BOT_MAX_FILE_MB"))
    max_question_chars: int = Field(
        2000, ge=10, le=100_000, validation_alias=_env("BOT_MAX_QUESTION_CHARS")
    )
    today: date | None = Field(None, validation_alias=_env("BOT_TODAY"))
    """The day "last week" and "yesterday" count from; the system date when unset."""

    max_tokens: int = Field(160, ge=16, le=8192, validation_alias=_env("BOT_MAX_TOKENS"))
    temperature: float = Field(0.0, ge=0.0, le=2.0, validation_alias=_env("BOT_TEMPERATURE"))
    timeout: float = Field(15.0, gt=0, validation_alias=_env("BOT_TIMEOUT"))
    reading_share: float = Field(0.5, gt=0, lt=1, validation_alias=_env("BOT_READING_SHARE"))
    max_retries: int = Field(2, ge=0, le=10, validation_alias=_env("BOT_MAX_RETRIES"))

    local_model: str = Field(DEFAULT_LOCAL_MODEL, validation_alias=_env("BOT_LOCAL_MODEL"))
    local_model_path: Path | None = Field(None, validation_alias=_env("BOT_LOCAL_MODEL_PATH"))
    model_cache: Path = Field(
        default_factory=default_cache_dir, validation_alias=_env("BOT_MODEL_CACHE")
    )
    local_threads: int = Field(0, ge=0, le=256, validation_alias=_env("BOT_LOCAL_THREADS"))
    local_parallel: int = Field(2, ge=1, le=16, validation_alias=_env("BOT_LOCAL_PARALLEL"))
    embed_threads: int = Field(1, ge=0, le=256, validation_alias=_env("BOT_EMBED_THREADS"))
    """e5's threads for each embedding made while answering (0: every core); ingest takes every
    core. One: on a busy host, e5's threads wait on one another (docs/answers.md, 26th step)."""
    parallel_answers: int = Field(0, ge=0, le=256, validation_alias=_env("BOT_PARALLEL_ANSWERS"))

    ui_host: str = Field("127.0.0.1", validation_alias=_env("BOT_UI_HOST"))
    ui_port: int = Field(7860, ge=1, le=65535, validation_alias=_env("BOT_UI_PORT"))
    ui_auth: SecretStr | None = Field(None, validation_alias=_env("BOT_UI_AUTH"))

    api_host: str = Field("127.0.0.1", validation_alias=_env("BOT_API_HOST"))
    api_port: int = Field(8080, ge=1, le=65535, validation_alias=_env("BOT_API_PORT"))
    api_key: SecretStr | None = Field(None, validation_alias=_env("BOT_API_KEY"))
    api_queue: int = Field(32, ge=0, le=10_000, validation_alias=_env("BOT_API_QUEUE"))
    api_max_body_kb: int = Field(
        256, ge=1, le=100_000, validation_alias=_env("BOT_API_MAX_BODY_KB")
    )

    watch_debounce: float = Field(1.0, gt=0, le=600, validation_alias=_env("BOT_WATCH_DEBOUNCE"))

    @field_validator("local_model")
    @classmethod
    def _a_catalogued_model(cls, value: str) -> str:
        """The bundled models are the catalogue's entries: adding one there is enough."""
        if value not in LOCAL_MODELS:
            raise ValueError(f"choose one of {', '.join(LOCAL_MODELS)}")
        return value

    @field_validator(
        "openai_base_url",
        "chat_model",
        "embeddings_base_url",
        "chroma_url",
        "local_model_path",
        "openai_api_key",
        "ui_auth",
        "api_key",
        "context_tokens",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """Treat `OPENAI_BASE_URL=` in a `.env` as "not configured", as the openai SDK does."""
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def uses_embedded_model(self) -> bool:
        """No endpoint configured means the offline llama.cpp default."""
        return self.openai_base_url is None

    @property
    def embedded_model(self) -> LocalModel:
        """The bundled model BOT_LOCAL_MODEL names (BOT_LOCAL_MODEL_PATH overrides its file)."""
        return LOCAL_MODELS[self.local_model]

    @property
    def model_label(self) -> str:
        """The model answers come from, as the chat header, help and eval report name it."""
        if not self.uses_embedded_model:
            return self.chat_model or "?"
        if self.local_model_path:
            return f"{self.local_model_path.name} (embedded)"
        return f"{self.embedded_model.label} (embedded)"

    @property
    def answering_at_once(self) -> int:
        """Answers the chat and the API compute at once: the embedded server's slots, as one
        more would wait inside it with its BOT_TIMEOUT running; 8 for an endpoint; or
        BOT_PARALLEL_ANSWERS. The rest queue before their clock starts."""
        if self.parallel_answers:
            return self.parallel_answers
        return self.local_parallel if self.uses_embedded_model else 8

    @property
    def context_budget(self) -> int:
        """Prompt tokens of sources: what the embedded model prefills fast enough, or roomy."""
        if self.context_tokens:
            return self.context_tokens
        return self.embedded_model.context_tokens if self.uses_embedded_model else 3000

    @property
    def uses_local_embeddings(self) -> bool:
        """The in-process multilingual-e5-small needs no endpoint."""
        return self.embeddings_model == DEFAULT_EMBEDDINGS_MODEL


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a malformed value into one sentence naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        name = _variable_name(field)
        shown = "" if field in _SECRET_FIELDS else f", got {first.get('input')!r}"
        raise ConfigError(
            f"Setting {name} is invalid ({first['msg'].lower()}{shown}); "
            f"fix it in the environment or .env (see .env.example)."
        ) from None


def _variable_name(field: str) -> str:
    """Map a field back to the environment variable users actually set."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return field.upper()
