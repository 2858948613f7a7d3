"""The one user-facing error type: anything the user must fix before tplan can run (exit 2)."""


class TplanError(Exception):
    """A problem with the command line, a file or a config; printed as one line, exit code 2."""

    exit_code = 2
