"""The onboarding controller: the one object the TUI and the CLI talk to.

The reading is ``StateReader`` (``reader.py``: the state directory, the machine, the
state and ``status``). Every operation that writes is owned by the module named for
what it does, as a function taking the controller first: ``offer_ops`` (prepare,
validate, onboard, resource-config), ``advice`` (warnings), ``plan`` (apply),
``offboarding``, ``wallet_ops`` and ``wallet_backup``. The controller hands each out
as a method with ``operation``: the signature is the function's, written once, and
the module is imported when the operation is first used, so ``status`` (which builds only the
reader) and ``apply``'s no-change path pay for none of them. It returns models or
raises ``OnboardError`` subclasses whose text is fit for a person; it never prints.
"""

from __future__ import annotations

import os

from app.onboarding.reader import StateReader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

    from app.onboarding import advice, offboarding, offer_ops, plan, wallet_backup, wallet_ops
    from app.onboarding.offboarding import OffboardPlan, OffboardResult
    from app.onboarding.records import public_wallet_facts
    from app.wallets import AddressCheck

    P = ParamSpec("P")
    R = TypeVar("R")

    class _Operation(Generic[P, R]):
        def __get__(self, obj: object, owner: type | None = None) -> Callable[P, R]: ...

    def operation(function: Callable[Concatenate[Any, P], R]) -> _Operation[P, R]: ...

    def plain(function: Callable[P, R]) -> _Operation[P, R]: ...

else:

    class _Module:
        """A module of operations, named but not imported: ``offer_ops.onboard`` is
        ``("app.onboarding.offer_ops", "onboard")`` until the operation is first used."""

        def __init__(self, name: str) -> None:
            self.name = name

        def __getattr__(self, attribute: str) -> tuple[str, str]:
            return (self.name, attribute)

    advice, offboarding, offer_ops, plan, wallet_backup, wallet_ops = (
        _Module(f"app.onboarding.{name}")
        for name in ("advice", "offboarding", "offer_ops", "plan", "wallet_backup", "wallet_ops")
    )

    class _Operation:
        """A module's function as the controller's method: imported when first used,
        bound to the controller (``bind``) as its first argument."""

        def __init__(self, where: tuple[str, str], bind: bool) -> None:
            self.where, self.bind = where, bind

        def __get__(self, obj, owner=None):
            module, name = self.where
            # Looked up at each use, not kept: the module's function is the one truth.
            # __import__, not importlib (which imports warnings: apply's fast path).
            function = getattr(__import__(module, fromlist=(name,)), name)
            if obj is None or not self.bind:
                return function
            return function.__get__(obj, owner)  # a function is a descriptor: bound

    def operation(where):
        return _Operation(where, bind=True)

    def plain(where):
        return _Operation(where, bind=False)


__all__ = [
    "OffboardPlan",
    "OffboardResult",
    "OnboardingController",
    "default_controller",
    "public_wallet_facts",
]


def __getattr__(name: str) -> Any:
    """The re-exported names, imported when first asked for: ``status`` needs none of
    offboarding or records (socket, datetime)."""
    if name in ("OffboardPlan", "OffboardResult"):
        from app.onboarding import offboarding

        return getattr(offboarding, name)
    if name == "public_wallet_facts":
        from app.onboarding import records

        return records.public_wallet_facts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class OnboardingController(StateReader):
    """The reading (``StateReader``) and every operation that writes, each the function
    of the module that owns it (see the module's docstring)."""

    # -- the offer: every write is prepared once (offer_ops.prepare), then committed ----
    prepare = operation(offer_ops.prepare)
    prepare_change = operation(offer_ops.prepare_change)
    validate = operation(offer_ops.validate)
    warnings = operation(advice.warnings)
    onboard = operation(offer_ops.onboard)
    resource_config = operation(offer_ops.resource_config)
    change_offer = operation(offer_ops.change_offer)
    apply = operation(plan.apply)

    def cancel_waits(self, *, forever: bool = False) -> None:
        """Give up every wait for the state lock now (the app's cancel and quit)."""
        self.store.cancel_waits(forever=forever)

    # -- offboarding ---------------------------------------------------------------------
    offboard_plan = operation(offboarding.offboard_plan)
    offboard = operation(offboarding.offboard)

    # -- wallets -------------------------------------------------------------------------
    def check_address(self, address: str, *, network: str | None = None) -> AddressCheck:
        """What the address is; ``network`` (if given) only adds a warning when it differs.

        No channel narrows the Cardano network: DMS accepts an address of either
        network on every channel (its own manual onboards addr1... on nunet-test).
        """
        from app.wallets import check_address

        return check_address(address, network=network)

    warm_wallet_library = plain(wallet_ops.warm_library)
    new_wallet = operation(wallet_ops.new_wallet)
    restore_wallet = operation(wallet_ops.restore_wallet)
    create_payment_address = operation(wallet_ops.create_payment_address)
    export_wallet = operation(wallet_ops.export_wallet)
    check_export_target = plain(wallet_ops.check_export_target)
    new_exported_wallet = operation(wallet_ops.new_exported_wallet)
    restore_exported_wallet = operation(wallet_ops.restore_exported_wallet)
    default_export_dir = operation(wallet_ops.default_export_dir)
    default_cardano_network = operation(wallet_ops.default_cardano_network)
    check_backup_words = plain(wallet_backup.check_backup_words)
    mark_backup_checked = operation(wallet_backup.mark_backup_checked)
    unchecked_address_warning = operation(wallet_backup.unchecked_address_warning)


def default_controller(state_dir: str | os.PathLike[str] | None = None) -> OnboardingController:
    from app.paths import resolve_state_dir

    return OnboardingController(resolve_state_dir(state_dir))
