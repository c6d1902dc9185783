"""The ways in for people and programs: the web chat and the OpenAI-compatible API."""
