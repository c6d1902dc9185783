"""Ask questions about a folder of news articles; get cited answers in your language."""

from bot.api import Bot, ask, ask_stream, retrieve
from bot.results import Answer, Citation

__all__ = ["Answer", "Bot", "Citation", "ask", "ask_stream", "retrieve"]
