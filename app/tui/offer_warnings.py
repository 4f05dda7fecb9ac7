"""Warnings for the form and the review: what an offer may do, but a person should see first.

Nothing here refuses: DMS accepts all of these. The rules live in the controller
(``controller.prepare(...).warnings``: an Ethereum address without a checksum, a legacy or
other-network Cardano address, an offer above what the host has free now);
this module only words them with the form's labels. It runs in the form's
validation worker (checking an address may import a wallet library), never on
the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.tui.field_messages import label

if TYPE_CHECKING:
    from collections.abc import Iterable

    from app.onboarding.errors import Problem


def offer_warnings(warnings: Iterable[Problem]) -> list[str]:
    """The prepared offer's warnings as sentences, each introduced by the field's label;
    [] when nothing is unusual."""
    unique: list[str] = []
    for problem in warnings:
        sentence = problem.said_as(label(problem.field))
        if sentence not in unique:
            unique.append(sentence)
    return unique
