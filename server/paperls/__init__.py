"""paperls: a language server for lists of research-paper abstracts."""

__version__ = "0.1.0"
