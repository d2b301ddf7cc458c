"""`python -m carepath`: the same command as the installed `carepath` script."""
from .launch import main

main()
