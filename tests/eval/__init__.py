"""Tests of bot/eval."""
