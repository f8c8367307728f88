"""`python -m icmap` runs the command-line interface."""

from icmap.cli import main

main()
