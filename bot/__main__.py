"""`python -m bot` runs the CLI."""

from bot.cli.main import main

main()
