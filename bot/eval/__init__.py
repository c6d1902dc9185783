"""Scoring the bot on golden Q&A pairs, and fitting its gates."""
