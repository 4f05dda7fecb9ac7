"""The backup policy in the controller: recorded unchecked, checked only by exact words."""

from __future__ import annotations

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.refusals import WalletError

MNEMONIC = "abandon ability able about above absent absorb abstract absurd abuse access accident"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "word #1 is empty"),
        ("   ", "word #1 is empty"),
        ("aba", "word #1 does not match"),
        ("abandonx", "word #1 does not match"),
        ("Abandon", "word #1 must be typed in lower case"),
        ("ABANDON", "word #1 must be typed in lower case"),
        (" abandon", "word #1 has spaces around it"),
        ("abandon ", "word #1 has spaces around it"),
        ("ability", "word #1 does not match"),
    ],
)
def test_near_misses_are_refused_with_the_reason(
    controller: OnboardingController, typed: str, reason: str
) -> None:
    wrong = controller.check_backup_words(MNEMONIC, [0, 5, 11], [typed, "absent", "accident"])
    assert len(wrong) == 1 and wrong[0].startswith(reason)


def test_exact_words_pass(controller: OnboardingController) -> None:
    assert (
        controller.check_backup_words(MNEMONIC, [0, 5, 11], ["abandon", "absent", "accident"]) == []
    )


def test_new_wallet_is_unchecked_until_marked(controller: OnboardingController) -> None:
    wallet = controller.new_wallet("ethereum", words=12)
    assert [w["backup_checked"] for w in controller.wallets()] == [False]
    warning = controller.unchecked_address_warning(wallet.address)
    assert warning is not None and "never checked" in warning
    controller.mark_backup_checked(wallet.address)
    assert [w["backup_checked"] for w in controller.wallets()] == [True]
    assert controller.unchecked_address_warning(wallet.address) is None
    assert controller.history()[-1]["action"] == "wallet-backup-checked"


def test_marking_an_unknown_address_is_refused(controller: OnboardingController) -> None:
    with pytest.raises(WalletError, match="no wallet"):
        controller.mark_backup_checked("0x0000000000000000000000000000000000000000")
    assert controller.unchecked_address_warning("0xabc") is None  # not made here: no warning
