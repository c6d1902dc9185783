"""Ask questions about a folder of news articles; get cited answers in your language."""

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any

# e5 embeds one short question at a time: OpenBLAS's worker threads buy nothing there (a
# batch of 32 passages is no faster either) and fight the store's and llama.cpp's threads for
# the cores (at 10k chunks a question took 58 ms to embed after a retrieval, 14 ms with one
# thread). It must be set before NumPy loads; an explicit setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

if TYPE_CHECKING:
    from bot.api import Bot, ask, ask_stream, retrieve
    from bot.core.results import Answer, Citation

__all__ = ["Answer", "Bot", "Citation", "ask", "ask_stream", "retrieve"]
_HOMES = {"Answer": "bot.core.results", "Citation": "bot.core.results"}


def __getattr__(name: str) -> Any:
    """The public names, imported on first use: `bot --help` and the one-line errors of the
    commands need none of the stack (LangChain, Chroma, openai: 2.5 s to import)."""
    if name not in __all__:
        raise AttributeError(f"module 'bot' has no attribute {name!r}")
    return getattr(import_module(_HOMES.get(name, "bot.api")), name)
