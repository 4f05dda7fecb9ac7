"""A copy of a hardware record with some fields changed, for a machine the fakes do not make.

The hardware records are frozen dataclasses here and ``app.record.Record``s (with
``_replace``) in newer code; this works with either.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def changed(record: T, **changes: Any) -> T:
    replace = getattr(record, "_replace", None)
    if replace is not None:
        return replace(**changes)  # type: ignore[no-any-return]
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]
