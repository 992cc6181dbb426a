"""The package version. Its major number must equal the C library's (checked at import)."""

__version__ = "0.1.0"
