"""The workspace on disk, shared by the server and the command line: finding and reading lists,
the index cache, project settings (``paperls.toml``) and the marks file.

Invariant: nothing here imports pygls or lsprotocol (ruff TID251), nor the features.
"""
