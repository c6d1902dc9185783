"""The `bot` command: a thin shell over the stages; errors are one line, never a traceback."""
