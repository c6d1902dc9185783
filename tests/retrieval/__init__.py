"""Tests of bot/retrieval."""
