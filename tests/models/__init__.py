"""Tests of bot/models."""
