"""mcdesk: offline-first micro-credentials on shared lab laptops."""

__version__ = "0.1.0"
