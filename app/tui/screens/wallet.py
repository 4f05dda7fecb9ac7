"""The Wallet screen: a new payment address, backed up and checked, or an existing one.

Generating imports eth-account or pycardano (up to a second and tens of MB) and
derives keys, so it runs in a thread worker behind a LoadingIndicator. The
mnemonic is shown once, with a warning, and the address can only be used or
exported after three words at random positions have been typed back exactly: a
wallet whose words were not written down loses the provider's earnings. It is
recorded at once as not checked and marked checked when the words match, and
leaving the screen while the words are still to be checked asks first
(``would_be_lost``, used by the app's leave guard).

When the user leaves the screen (another screen, not a dialog on top of it)
the words are wiped from the widgets and the wallet object is dropped. Python
strings cannot be overwritten in place, so "wiped" means no reference is kept
by the app; the garbage collector frees the memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Select, Static

from app.tui import keymap
from app.tui.messages import UseAddress
from app.tui.screens.base import describe_error
from app.tui.screens.wallet_existing import ExistingAddressPart
from app.tui.widgets.wallet_form import existing_address_panel, new_wallet_panel
from app.tui.widgets.wallet_list import WalletList

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.wallets import NewWallet

CHECKED_WORDS = 3


class WalletScreen(ExistingAddressPart):
    """Create a wallet (with a backup check and optional export) or check an address."""

    SUB_TITLE = "Wallet"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.WALLET)

    def __init__(self) -> None:
        super().__init__()
        self._wallet: NewWallet | None = None
        self._words = Text()
        self.check_positions: list[int] = []
        """Zero-based positions of the words asked for in the backup check."""
        self.backed_up = False
        self._exporting = False
        self._network_offered = "mainnet"
        """The network the screen last set by default (the compose value at first)."""
        self._network_chosen = False
        """The user picked a network here: the channel no longer chooses it."""
        self._export_offered = ""
        """The export place the screen last filled in (the user may type another)."""

    @property
    def wallet(self) -> NewWallet | None:
        return self._wallet

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="wallet", can_focus=False):
            yield from new_wallet_panel(CHECKED_WORDS)
            yield from existing_address_panel()
            yield WalletList(id="wallet-list", classes="panel")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._clear()
        self._chain_changed()
        self.follow_state()
        self._offer_network()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.is_mounted:
            self._offer_network()  # the channel may have been chosen on Allocate meanwhile

    # -- the network the channel chooses ----------------------------------------------------
    def _offer_network(self) -> None:
        """Offer the Cardano network of the channel chosen on Allocate (else the onboarded
        one), unless the user picked one here or a new wallet's words are on screen."""
        if self._network_chosen or self._wallet is not None:
            return
        self._default_network(self.nunet.chosen_channel())

    @work(thread=True, exclusive=True, group="network", exit_on_error=False)
    def _default_network(self, channel: str | None) -> None:
        try:
            network = self.controller.default_cardano_network(channel)
        except Exception:  # noqa: BLE001 - an unreadable state is shown on the Status screen
            return
        self.app.call_from_thread(self._set_default_network, network)

    def _set_default_network(self, network: str) -> None:
        if self._network_chosen or self._wallet is not None:
            return
        self._network_offered = network
        self.query_one("#network", Select).value = network

    # -- leaving clears the secret ---------------------------------------------------------
    def on_screen_suspend(self) -> None:
        # A dialog or the command palette on top keeps the screen on the stack;
        # switching to another screen takes it off: only then clear.
        if self not in self.app.screen_stack:
            self._clear()

    def _clear(self) -> None:
        self._wallet = None
        self._words = Text()
        self.check_positions = []
        self.backed_up = False
        for widget_id in ("#wallet-warning", "#wallet-address", "#wallet-words", "#backup-prompt"):
            self.query_one(widget_id, Static).update("")
        for widget_id in ("#password", "#password2", *(f"#word-{i}" for i in range(CHECKED_WORDS))):
            self.query_one(widget_id, Input).value = ""
        self.query_one("#backup-message", Static).update("")
        self.query_one("#export-message", Static).update("")
        self.query_one("#wallet-result").display = False
        self.query_one("#wallet-busy").display = False
        self.query_one("#generate", Button).disabled = False

    # -- generating -----------------------------------------------------------------------
    @on(Select.Changed, "#chain")
    def _chain_changed(self) -> None:
        chain = str(self.query_one("#chain", Select).value)
        self.controller.warm_wallet_library(chain)  # Generate then finds it loaded
        cardano = chain == "cardano"
        self.query_one("#network").display = cardano
        self.query_one("#network-label").display = cardano
        self._check_existing()

    @on(Select.Changed, "#network")
    def _network_changed(self, event: Select.Changed) -> None:
        if event.value != self._network_offered:
            self._network_chosen = True
        self._check_existing()

    @on(Button.Pressed, "#generate")
    def action_generate(self) -> None:
        if self.query_one("#generate", Button).disabled:
            return
        from app.tui.leave_guard import ask_before_leaving

        # Another wallet replaces the words on screen: asked first, like leaving.
        ask_before_leaving(
            self.app, self._generate_new, title="Make another wallet?", yes="Make another"
        )

    def _generate_new(self) -> None:
        chain = str(self.query_one("#chain", Select).value)
        network = str(self.query_one("#network", Select).value) if chain == "cardano" else "mainnet"
        self._clear()
        self.query_one("#generate", Button).disabled = True
        self.query_one("#wallet-busy").display = True
        self._generate(chain, network)

    @work(thread=True, exclusive=True, group="generate", exit_on_error=False)
    def _generate(self, chain: str, network: str) -> None:
        try:
            wallet = self.controller.new_wallet(chain, network=network)
        except Exception as exc:  # noqa: BLE001 - a refusal is a message
            self.app.call_from_thread(self._generate_failed, exc)
            return
        self.app.call_from_thread(self._show_wallet, wallet)
        self.app.call_from_thread(self.follow_state)

    def _generate_failed(self, exc: BaseException) -> None:
        self.query_one("#wallet-busy").display = False
        self.query_one("#generate", Button).disabled = False
        self.report(exc, title="No wallet was made")

    def _show_wallet(self, wallet: NewWallet) -> None:
        if self not in self.app.screen_stack:
            return  # the user left while it was made: do not keep it
        self._wallet = wallet
        words = wallet.mnemonic.split()
        self.check_positions = sorted(self.nunet.rng.sample(range(len(words)), CHECKED_WORDS))
        self.query_one("#wallet-busy").display = False
        self.query_one("#generate", Button).disabled = False
        self.query_one("#wallet-warning", Static).update(
            Text(
                f"Write these {len(words)} words down, in order, on paper. They are shown "
                "only now and are the only way to reach the funds; anyone who sees them "
                "can take the funds.",
                style="bold",
            )
        )
        network = f" {wallet.network}" if wallet.chain == "cardano" else ""
        self.query_one("#wallet-address", Static).update(
            Text.assemble(("Address ", "bold"), f"({wallet.chain}{network}): ", wallet.address)
        )
        grid = Text(end="")
        columns = 4
        per_column = -(-len(words) // columns)
        for row in range(per_column):
            if row:
                grid.append("\n")
            for col in range(columns):
                i = col * per_column + row
                if i < len(words):
                    grid.append(f"{i + 1:>2}. ", style="bold")
                    grid.append(f"{words[i]:<12}")
        self.query_one("#wallet-words", Static).update(grid)
        asked = ", ".join(f"#{p + 1}" for p in self.check_positions)
        self.query_one("#backup-prompt", Static).update(
            f"To check your copy, type words {asked} (from your paper):"
        )
        for i, position in enumerate(self.check_positions):
            self.query_one(f"#word-{i}", Input).placeholder = f"word #{position + 1}"
        self._words = grid
        self.query_one("#wallet-result").display = True
        self._show_words(True)
        self.query_one("#wallet-after").display = False
        self.query_one("#password-row").display = wallet.chain == "ethereum"
        # A folder of its own for each wallet: a second wallet's key files never meet
        # the first one's. A place the user typed stays as it is.
        export_dir = self.query_one("#export-dir", Input)
        if export_dir.value.strip() in ("", self._export_offered):
            self._export_offered = str(self.controller.default_export_dir(wallet))
            export_dir.value = self._export_offered
        self.query_one("#written", Button).focus()
        self.query_one("#wallet-warning").scroll_visible(top=True, animate=False)

    def _show_words(self, shown: bool) -> None:
        """Words on screen, or the check that asks for them (never both)."""
        words = self.query_one("#wallet-words", Static)
        words.update(self._words if shown else Text("(words hidden)", style="italic"))
        self.query_one("#written-row").display = shown
        self.query_one("#backup-check").display = not shown
        self.query_one("#wallet-warning").display = shown

    @on(Button.Pressed, "#written")
    def _written(self) -> None:
        self._show_words(False)
        self.query_one("#word-0", Input).focus()

    @on(Button.Pressed, "#show-again")
    def _show_again(self) -> None:
        self._show_words(True)
        self.query_one("#written", Button).focus()

    # -- backup check ---------------------------------------------------------------------
    @on(Input.Submitted, ".word")
    def _word_entered(self, event: Input.Submitted) -> None:
        """Enter moves to the next word; on the last word it checks them all."""
        index = int((event.input.id or "word-0").removeprefix("word-"))
        if index + 1 < CHECKED_WORDS:
            self.query_one(f"#word-{index + 1}", Input).focus()
        else:
            self._check_words()

    @on(Button.Pressed, "#check-words")
    def _check_words(self) -> None:
        wallet = self._wallet
        if wallet is None:
            return
        typed = [self.query_one(f"#word-{i}", Input).value for i in range(CHECKED_WORDS)]
        wrong = self.controller.check_backup_words(wallet.mnemonic, self.check_positions, typed)
        message = self.query_one("#backup-message", Static)
        if wrong:
            message.add_class("-error")
            message.update(Text(f"✗ {'; '.join(wrong)}; look at your copy again"))
            return
        self._record_checked(wallet.address)

    @work(thread=True, exclusive=True, group="checked", exit_on_error=False)
    def _record_checked(self, address: str) -> None:
        try:
            self.controller.mark_backup_checked(address)
        except Exception as exc:  # noqa: BLE001 - the wallet stays unchecked, and says why
            self.app.call_from_thread(self.report, exc, title="The backup check was not recorded")
            return
        self.app.call_from_thread(self._backup_passed, address)

    def _backup_passed(self, address: str) -> None:
        if self._wallet is None or self._wallet.address != address:
            return
        self.backed_up = True
        message = self.query_one("#backup-message", Static)
        message.remove_class("-error")
        message.update("✓ backup checked: the words are gone from the screen.")
        # The words have done their job: take them off the screen for good.
        self._words = Text()
        self.query_one("#wallet-words", Static).update(Text("(words hidden)", style="italic"))
        self.query_one("#wallet-warning", Static).update("")
        self.query_one("#backup-check").display = False
        for i in range(CHECKED_WORDS):
            self.query_one(f"#word-{i}", Input).value = ""
        self.query_one("#wallet-after").display = True
        self.query_one("#use-new", Button).focus()
        self.follow_state()

    def unsaved_changes(self) -> str | None:
        """What quitting would lose (the app's quit asks first when this says something)."""
        return self.would_be_lost()

    def would_be_lost(self) -> str | None:
        """What leaving now loses: the words of a new wallet whose backup was not checked."""
        if self._wallet is None or self.backed_up:
            return None
        return (
            f"The words of the new wallet {self._wallet.address} are still to be checked. "
            "If you leave, they are gone for good, and the address stays recorded as "
            "NOT checked: do not use it for payments."
        )

    def discard(self) -> None:
        """The user chose to leave without checking: the words go, the record stays unchecked."""
        self._clear()
        self.follow_state()

    # -- the wallets made here ------------------------------------------------------------
    def follow_state(self) -> None:
        """The list of wallets made here, with their backup status, read again."""
        self._load_wallets()

    @work(thread=True, exclusive=True, group="wallets", exit_on_error=False)
    def _load_wallets(self) -> None:
        try:
            records = self.controller.wallets()
        except Exception:  # noqa: BLE001 - an unreadable state is shown on the Status screen
            records = []
        self.app.call_from_thread(self.query_one("#wallet-list", WalletList).show, records)

    # -- export ---------------------------------------------------------------------------
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        wallet = self._wallet
        if wallet is None or not self.backed_up or self._exporting:
            return  # a second Enter while an export runs does nothing
        message = self.query_one("#export-message", Static)
        directory = self.query_one("#export-dir", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not directory:
            message.update("✗ choose a directory")
            return
        if wallet.chain == "ethereum":
            if len(password) < 8:
                message.update("✗ the password needs at least 8 characters")
                return
            if password != self.query_one("#password2", Input).value:
                message.update("✗ the two passwords differ")
                return
        message.update("exporting…")
        # Not disabled: a disabled button loses the focus to the next one ("Use this
        # address"), and a second Enter would then send the user off the screen.
        self._exporting = True
        self.query_one("#export", Button).label = "Exporting…"
        self._run_export(wallet, Path(directory).expanduser(), password)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _run_export(self, wallet: NewWallet, directory: Path, password: str) -> None:
        try:
            paths = self.controller.export_wallet(
                wallet, directory, password or None, kdf=self.nunet.export_kdf
            )
        except Exception as exc:  # noqa: BLE001 - shown beside the button
            self.app.call_from_thread(self._exported, None, describe_error(exc))
            return
        self.app.call_from_thread(self._exported, paths, "")

    def _exported(self, paths: list[Path] | None, error: str) -> None:
        self._exporting = False
        self.query_one("#export", Button).label = "Export key file"
        for widget_id in ("#password", "#password2"):
            self.query_one(widget_id, Input).value = ""
        message = self.query_one("#export-message", Static)
        message.set_class(paths is None, "-error")
        if paths is None:
            message.update(Text(f"✗ {error}"))
        else:
            message.update(Text("✓ written (0600): " + ", ".join(str(p) for p in paths)))

    @on(Button.Pressed, "#use-new")
    def _use_new(self) -> None:
        if self._wallet is not None and self.backed_up:
            self.post_message(UseAddress(self._wallet.address))
