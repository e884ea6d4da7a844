"""Course package for « Politique de la ville & développement social territorial »."""

from . import lightimports

__version__ = "0.1.0"

lightimports.install()  # 1.5 s less per build: see course/lightimports.py
