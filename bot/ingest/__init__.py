"""Keeping the store in line with a folder: once (`bot ingest`) or as it changes (`--watch`)."""
