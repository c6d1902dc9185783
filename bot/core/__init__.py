"""Foundations every stage shares: settings, errors, typed results, text and language rules."""
