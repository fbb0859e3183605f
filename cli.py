"""Run govkg from a checkout: ``python cli.py build``. Installed, the same commands are
``govkg ...`` (the console script points at :func:`kg.cli.main`)."""
from kg.cli import main

if __name__ == "__main__":
    main()
