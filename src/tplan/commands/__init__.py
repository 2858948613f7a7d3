"""One module per CLI command: plain functions that return an exit code, callable from tests."""
