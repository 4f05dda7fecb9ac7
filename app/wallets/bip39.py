"""BIP-39 mnemonics: generate, normalise and validate, without leaking words.

Both chains start from a BIP-39 mnemonic, so validation happens once, here, before a
chain library sees the words.  That matters because eth-account echoes the whole phrase
in its ``ValidationError`` and pycardano says only "Invalid mnemonic words."; our errors
give the position of a bad word or the count, never a word.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from app.wallets.errors import WalletError

WORD_COUNTS: Final = (12, 15, 18, 21, 24)
DEFAULT_WORDS: Final = 24  # as DMS

# words -> entropy bits (BIP-39: ENT = words * 11 * 32 / 33)
_STRENGTH: Final = {12: 128, 15: 160, 18: 192, 21: 224, 24: 256}


def _allowed() -> str:
    *head, last = (str(n) for n in WORD_COUNTS)
    return f"{', '.join(head)} or {last}"


def require_word_count(words: int) -> int:
    """Refuse a word count BIP-39 does not define, naming the allowed ones."""
    if isinstance(words, bool) or words not in _STRENGTH:
        raise WalletError(f"a mnemonic has {_allowed()} words, not {words!r}")
    return words


def generate_mnemonic(words: int = DEFAULT_WORDS) -> str:
    """A fresh English BIP-39 mnemonic from the OS's CSPRNG (``secrets`` via mnemonic)."""
    from mnemonic import Mnemonic

    return str(Mnemonic("english").generate(strength=_STRENGTH[require_word_count(words)]))


def normalize_mnemonic(text: str) -> str:
    """NFKD, lower case, single spaces: how people paste phrases is not their meaning."""
    return " ".join(unicodedata.normalize("NFKD", text).lower().split())


def validate_mnemonic(text: str) -> str:
    """Return the normalised mnemonic or raise WalletError that names no word.

    Checks, in order: word count, every word in the English list (reports positions),
    then the BIP-39 checksum.
    """
    if not isinstance(text, str):
        raise WalletError("the mnemonic must be text")
    phrase = normalize_mnemonic(text)
    words = phrase.split(" ") if phrase else []
    if len(words) not in _STRENGTH:
        raise WalletError(f"a mnemonic has {_allowed()} words; this one has {len(words)}")

    from mnemonic import Mnemonic

    checker = Mnemonic("english")
    known = set(checker.wordlist)
    unknown = [str(i) for i, word in enumerate(words, start=1) if word not in known]
    if unknown:
        noun = "word" if len(unknown) == 1 else "words"
        raise WalletError(
            f"{noun} {', '.join(unknown)} of the mnemonic {'is' if len(unknown) == 1 else 'are'}"
            " not in the BIP-39 English word list"
        )
    if not checker.check(phrase):
        raise WalletError(
            "the mnemonic's checksum does not match: a word is wrong or the words are out of order"
        )
    return phrase


def mnemonic_to_seed(phrase: str, passphrase: str = "") -> bytes:
    """The BIP-39 seed (PBKDF2-HMAC-SHA512, 2048 rounds); used by tests and Ethereum."""
    from mnemonic import Mnemonic

    return bytes(Mnemonic.to_seed(validate_mnemonic(phrase), passphrase))
