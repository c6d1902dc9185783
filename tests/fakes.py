"""Test doubles for parts a Bot is given: a scripted chat model and one that must not be called.

Tests that use them pin our own logic (verification, refusal, prompt assembly, streaming);
they say so in their module docstring. Everything else runs against real parts.
"""

from __future__ import annotations

from langchain_core.language_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage


def scripted_model(*replies: str) -> FakeListChatModel:
    """A chat model that answers with `replies`, one per call, in order."""
    return FakeListChatModel(responses=list(replies))


def streamed_model(*pieces: str) -> GenericFakeChatModel:
    """A chat model that streams one reply in exactly these pieces."""
    return GenericFakeChatModel(messages=iter([AIMessage(content="".join(pieces))]))


class ExplodingModel(FakeListChatModel):
    """A chat model that fails the test if anything calls it."""

    def _call(self, *args, **kwargs):
        raise AssertionError("the model must not be called")

    async def _acall(self, *args, **kwargs):
        raise AssertionError("the model must not be called")
