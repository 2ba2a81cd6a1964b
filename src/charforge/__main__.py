"""`python -m charforge`."""

from charforge.cli import main

main()
