"""Tests of bot/answer."""
