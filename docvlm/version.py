"""The package version, at the bottom so that any module can record it (a folder run's
manifest) without importing the package's public face."""

__version__ = "0.1.0"  # as pyproject.toml says
