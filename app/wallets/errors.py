"""The one error type the wallet layer raises.

It subclasses ValueError because every wallet failure is a bad input (a mnemonic, an
address, a password, a target directory) rather than a bug.  It lives here and not in
``app.onboarding.errors`` because the wallet layer sits below the controller and may not
import it (import-linter layers); the controller re-raises it as its own error class.

Rule for every message built with this class: it may name a position, a count, a file
or a chain, but never the secret (mnemonic words, private keys, passwords), because
messages end up on screens, in logs and in tracebacks.
"""

from __future__ import annotations


class WalletError(ValueError):
    """A wallet operation was refused or failed; the message is safe to show and log."""
