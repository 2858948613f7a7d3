"""`tplan lsp`: the Language Server Protocol server (installed by the `lsp` extra).

Only `server.py` imports pygls and lsprotocol; the other modules work on plain text, tplan's own
Diagnostics and the schema, so they can be tested without an editor. Nothing here is imported on
the lint path.
"""
