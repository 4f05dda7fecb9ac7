"""Frozen, typed value objects that cost nothing to define: the records on ``status``'s path.

``nunet-onboard status`` is run by monitoring every few seconds, and what it loads
before it answers is most of its time. Measured in instructions (callgrind, which
a busy machine does not disturb), against ``python -c pass``: a frozen dataclass
costs the ``dataclasses`` import (it pulls in ``inspect``) plus generated code per
class, and a ``typing.NamedTuple`` costs ~2.7 M instructions per class for the
``eval`` and type checks of its ``__new__``; the eleven hardware records alone
were 0.76x of a bare interpreter start. A ``Record`` subclass is an ordinary class:
its fields are read from its annotations once, and one shared ``__init__``,
``__eq__``, ``__hash__`` and ``__repr__`` serve every record.

For mypy, ``dataclass_transform`` (PEP 681) gives each subclass the keyword
``__init__`` and the frozen fields a dataclass would have. At run time it is not
even imported: ``typing`` is one more thing ``status`` need not load.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, Self, dataclass_transform
else:

    def dataclass_transform(**_: object) -> object:
        return lambda cls: cls


_MISSING = object()


@dataclass_transform(frozen_default=True)
class Record:
    """A frozen value: fields from the class annotations, defaults from class attributes
    (a dict, list or set default is copied for each record, never shared).

    Positional or keyword construction, equality and hash by class and values, a
    readable repr, ``_replace`` and ``_asdict`` (shallow, as a named tuple's).
    """

    _fields: ClassVar[tuple[str, ...]] = ()
    __slots__ = ()

    def __init_subclass__(cls) -> None:
        own = [
            name
            # inspect.get_annotations would import inspect, the cost this module avoids.
            for name, kind in cls.__dict__.get("__annotations__", {}).items()  # noqa: RUF063
            if not str(kind).startswith(("ClassVar", "typing.ClassVar"))
        ]
        inherited = [name for name in cls._fields if name not in own]
        cls._fields = (*inherited, *own)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__} takes {len(fields)} values, got {len(args)}")
        values = dict(zip(fields, args, strict=False))  # fewer values: defaults
        for name, value in kwargs.items():
            if name not in fields:
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
            if name in values:
                raise TypeError(f"{type(self).__name__} got {name!r} twice")
            values[name] = value
        for name in fields:
            value = values.get(name, _MISSING)
            if value is _MISSING:
                value = getattr(type(self), name, _MISSING)
                if value is _MISSING:
                    raise TypeError(f"{type(self).__name__} needs a value for {name!r}")
                if isinstance(value, dict | list | set):
                    value = value.copy()  # a fresh one each time, as a default_factory
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be deleted")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def _replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (as ``dataclasses.replace``)."""
        return type(self)(**{**self._asdict(), **changes})

    def _asdict(self) -> dict[str, Any]:
        """Field name -> value, in field order; nested records are left as they are."""
        return {name: getattr(self, name) for name in self._fields}
