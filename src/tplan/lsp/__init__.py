"""`tplan lsp`: the Language Server Protocol server (installed by the `lsp` extra).

One module per job: `server` (the pygls wiring, the only module importing pygls), `analysis`
(the buffer's findings, the config per folder, the cross-file pass), `convert` and `positions`
(tplan diagnostics → LSP ranges in UTF-16), `context` and `schemapaths` (where the cursor is, what
the schema allows there), `hover`, `actions` and `completion`. All but `server` can be called
without an editor. Nothing here is imported on the lint path.
"""
