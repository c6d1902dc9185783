"""Tests of bot/ingest."""
