"""Course package for « Politique de la ville & développement social territorial »."""

__version__ = "0.1.0"
