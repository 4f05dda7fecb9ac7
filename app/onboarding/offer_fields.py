"""The offer's fields, declared once: every other description of the offer comes from here.

One row per field of ``CapacityForNunet`` (DMS's offer, plus ``disk``, ``gpus`` and
``cores``): its stored (DMS JSON) name, the kind of value, its default, its unit, the
command-line flags (ours and DMS's), its label in the app, its key in an offer file.
From the table come the state file's shape check (``state_schema``), ``apply``'s keys
and its plan (``offer_file``, ``plan``), the flags (``app.cli.args``) and the app's labels
(``app.tui.field_messages``). The pydantic model (``models.py``) is written out for
the type checker, and a test holds it to this table (name, required, default).

It is read on ``status``'s path (the shape check), so it imports nothing and its rows
are ``Record``s: a plain class, cheap to define.
"""

from __future__ import annotations

from app.light_record import Record
from app.onboarding.errors import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

REQUIRED = None
"""The default of a field that has none: onboarding must be given it."""

KINDS = ("whole", "number", "text", "flag", "indices", "count")
"""``whole``: a whole number, 0 or more; ``number``: a finite number, 0 or more;
``text``; ``flag``: true or false; ``indices``: a list of whole numbers (GPU indices);
``count``: a whole number or none (none: as many as the share needs)."""


class OfferField(Record):
    """One field of the offer and every name it goes by."""

    name: str
    """As stored and as DMS's JSON names it."""
    kind: str
    """One of ``KINDS``: the value's type and the check of its form."""
    required: bool
    default: Any = REQUIRED
    """The value when not given (None: required, or ``count``'s "as many as needed")."""
    unit: str = ""
    """The unit of a stored number, as the history and the messages write it."""
    flags: tuple[str, ...] = ()
    """The command line's flags that set it, ours and DMS's; the first short one is shown."""
    dms_flags: tuple[str, ...] = ()
    """Which of ``flags`` DMS's own ``onboard`` takes (a DMS-era script uses these)."""
    label: str = ""
    """The app's name for it, short enough for the form ("Pay to")."""
    said: str = ""
    """The command line's name for it in its summaries ("Payment address"; the label
    when not given): the app's labels sit beside an input, the command line's stand alone."""
    file_key: str = ""
    """The key in an ``apply`` offer file (the stored name when not given)."""
    metavar: str = ""
    """What the flags' help calls the value (``MHZ``, ``SIZE``); a flag takes none."""
    help: str = ""
    """The flags' help: what the value is and the forms it takes."""
    on_form: bool = True
    """A person chooses it on the app's form, and a review shows it (not ``server_mode``
    or ``cores``, which only the command line and offer files set)."""
    kept_after_offboard: bool = False
    """The app's form keeps the value it showed when the machine is offboarded, as the
    next onboarding's default: where to join and how to be paid (the channel, the price,
    the address) are a provider's standing choices, while what is offered is read afresh
    from the machine."""

    @property
    def key(self) -> str:
        return self.file_key or self.name

    @property
    def words(self) -> str:
        """What the command line calls it: ``said``, or the app's label."""
        return self.said or self.label

    def show(self, value: Any) -> str:
        """The value as a person reads it, with its unit: ``2500 MB (2.4 GiB)``,
        ``0.25 NTX/min`` (every digit kept), ``yes``, ``GPU 0, GPU 1``; ``none`` for no
        value."""
        if self.kind == "flag":
            return "yes" if value else "no"
        if self.kind == "indices":
            return ", ".join(f"GPU {i}" for i in value) if value else "none"
        if value is None or value == "":
            return "as many as needed" if self.kind == "count" else "none"
        from app.onboarding.units import decimal_text, mb_text  # not at the top: status

        if self.unit == "MB":
            return mb_text(value)
        if self.kind == "number":
            value = decimal_text(value)
        return f"{value} {self.unit}" if self.unit else str(value)

    @property
    def allowed(self) -> str:
        """What the field takes, in words, from its kind and unit."""
        unit = f" {self.unit}" if self.unit else ""
        return {
            "whole": f"a whole number{' of' + unit if unit else ''}, 0 or more",
            "number": f"a number{' of' + unit if unit else ''}, 0 or more",
            "text": "text",
            "flag": "true or false",
            "indices": "a list of GPU indices (0, 1, ...)",
            "count": "a whole number, or none (as many as the share needs)",
        }[self.kind]


# In the order of the stored JSON (DMS's CapacityForNunet, then ours): the state file,
# the plan and an offer file's list of keys follow it.
FIELDS: tuple[OfferField, ...] = (
    OfferField(
        "memory", "whole", True, unit="MB", flags=("-m", "--memory"),
        dms_flags=("-m", "--memory"), label="Memory", metavar="SIZE",
        help="memory to offer: MB (8192) or a size (8GiB, 8GB); 10-90 % of the total",
    ),
    OfferField(
        "cpu", "whole", True, unit="MHz", flags=("-c", "--cpu"), dms_flags=("-c", "--cpu"),
        label="CPU", metavar="MHZ",
        help="CPU to offer: MHz (5200) or GHz (2.6GHz); 10-90 % of the total",
    ),
    OfferField(
        "ntx_price", "number", False, 0.0, unit="NTX/min", flags=("-x", "--ntx-price"),
        dms_flags=("-x", "--ntx-price"), label="Price", said="NTX price", metavar="NTX",
        help="price in NTX per minute", kept_after_offboard=True,
    ),
    OfferField(
        "channel", "text", True, flags=("-n", "--nunet-channel", "--channel"),
        dms_flags=("-n", "--nunet-channel"), label="Channel", metavar="NAME",
        help="nunet-staging, nunet-test, nunet-team or nunet-edge", kept_after_offboard=True,
    ),
    OfferField(
        "payment_addr", "text", True, flags=("-a", "--address"), dms_flags=("-a", "--address"),
        label="Pay to", said="Payment address", file_key="address", metavar="ADDRESS",
        help="payment address: Ethereum 0x... or Cardano addr1.../addr_test1...",
        kept_after_offboard=True,
    ),
    OfferField(
        "cardano", "flag", False, False, flags=("-C", "--cardano"),
        dms_flags=("-C", "--cardano"), label="Cardano node", said="Cardano",
        help="run a Cardano node (needs 10000 MB and 6000 MHz); --cardano=false to stop",
    ),
    OfferField(
        "server_mode", "flag", False, True, flags=("-l", "--local-enable"),
        dms_flags=("-l", "--local-enable"), label="Server mode", on_form=False,
        help="server mode, as DMS (default true; -l=false to turn off)",
    ),
    OfferField(
        "is_available", "flag", False, True, flags=("-u", "--unavailable", "--available"),
        dms_flags=("-u", "--unavailable"), label="Available", said="Available to jobs",
        file_key="available", help="do not take jobs (e.g. for maintenance)",
    ),
    OfferField(
        "disk", "whole", False, 0, unit="GB", flags=("--disk",), label="Disk", metavar="SIZE",
        help="disk to offer: GB (100) or a size (50GiB, 100GB)",
    ),
    OfferField(
        "gpus", "indices", False, (), flags=("--gpus",), label="GPUs", metavar="LIST",
        help="GPU indices to offer, e.g. 0,1 ('' for none)",
    ),
    OfferField(
        "cores", "count", False, None, flags=("--cores",), label="Cores", on_form=False,
        metavar="N", help="cores to offer (default: as many as the CPU share spans)",
    ),
)  # fmt: skip
BY_NAME: dict[str, OfferField] = {f.name: f for f in FIELDS}
READING_ORDER: tuple[OfferField, ...] = tuple(
    BY_NAME[name]
    for name in (
        "cpu", "memory", "disk", "gpus", "cores", "channel", "ntx_price", "payment_addr",
        "cardano", "is_available", "server_mode",
    )
)  # fmt: skip
"""The fields in the order a person reads an offer: what is offered, then where and for
how much, then the switches (the form, a review and ``onboard``'s summary)."""
ON_FORM: tuple[OfferField, ...] = tuple(f for f in READING_ORDER if f.on_form)
NAMES: tuple[str, ...] = tuple(BY_NAME)
DEFAULTS: dict[str, Any] = {f.name: f.default for f in FIELDS if not f.required}
"""The value of each field that may be left out: the same for every way in."""


def refused_values(errors: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """The model's refusals (pydantic's ``ValidationError.errors()``) as ``Problem``s in
    our words: the field, the value given and what the field takes; never the library's
    own text. Every way in words a refused value so (the flag, the label or the key in
    front, by ``Problem.said_as``)."""
    problems = []
    for error in errors:
        loc = tuple(error.get("loc") or ())
        field = str(loc[0]) if loc else "offer"
        where = ".".join(map(str, loc)) or "offer"
        row = BY_NAME.get(field)
        allowed = f"; allowed: {row.allowed}" if row else "; it is not a field of the offer"
        if error.get("type") == "missing":
            detail = f"missing{allowed}"
        else:
            detail = f"the value {error.get('input')!r:.40} is not allowed{allowed}"
        problems.append(Problem(field, f"{where}: {detail}", detail))
    return problems
