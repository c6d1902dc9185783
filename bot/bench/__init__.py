"""Latency next to the LangChain tutorial baseline, and load tests (the `bench` extra)."""
