"""Errors whose message is one sentence a user can act on."""

from __future__ import annotations


class BotError(Exception):
    """Base for every error we expect a user to see: its text says what to do."""


class ConfigError(BotError):
    """A setting is missing or malformed."""


class QuestionError(BotError, ValueError):
    """The question cannot be asked as written (empty, too long, no text)."""


class EndpointError(BotError):
    """The chat or embeddings endpoint could not be reached or failed."""


class DeadlineError(EndpointError):
    """BOT_TIMEOUT passed before the endpoint answered."""


class StoppingError(BotError):
    """The process is stopping (Ctrl+C), and the answer being written was ended."""


class StoreError(BotError):
    """The vector store is missing, unwritable, busy or built with another embedder."""


class CorpusError(BotError):
    """The corpus folder cannot be read."""
