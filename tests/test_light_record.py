"""Record: the frozen value class of status's path behaves as the dataclasses it replaced."""

from __future__ import annotations

import copy
import pickle

import pytest

from app.light_record import Record


class Point(Record):
    x: int
    y: int = 0
    tags: list[str] = []

    @property
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


class Pair(Record):
    a: int
    b: str


class Point3(Point):
    z: int = 0


def test_fields_defaults_and_construction() -> None:
    assert Point._fields == ("x", "y", "tags")
    assert Point3._fields == ("x", "y", "tags", "z")
    p = Point(1, y=2)
    assert (p.x, p.y, p.tags, p.norm) == (1, 2, [], 3)
    assert Point3(1, 2, ["a"], 3).z == 3
    assert repr(Point3(1)) == "Point3(x=1, y=0, tags=[], z=0)"


def test_a_mutable_default_is_never_shared() -> None:
    a, b = Point(1), Point(2)
    a.tags.append("changed")
    assert b.tags == [] and Point.tags == []


def test_bad_construction_says_what_is_wrong() -> None:
    with pytest.raises(TypeError, match="needs a value for 'x'"):
        Point()
    with pytest.raises(TypeError, match="has no field 'w'"):
        Point(1, w=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="got 'x' twice"):
        Point(1, x=2)  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes 3 values, got 4"):
        Point(1, 2, [], 4)  # type: ignore[call-arg]


def test_frozen() -> None:
    p = Point(1)
    with pytest.raises(AttributeError, match="frozen"):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError, match="frozen"):
        del p.x  # type: ignore[misc]


def test_equality_and_hash_by_class_and_values() -> None:
    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2) != Point(1, 3)
    assert Point3(1, 2) != Point(1, 2)  # another class, even with the same values
    assert Point(1, 2) != (1, 2, [])
    assert len({Pair(1, "a"), Pair(1, "a"), Pair(2, "a")}) == 2
    with pytest.raises(TypeError):  # a list inside, as with a frozen dataclass
        hash(Point(1))


def test_replace_asdict_copy_and_pickle() -> None:
    p = Point3(1, 2, ["t"], 3)
    assert p._replace(y=5) == Point3(1, 5, ["t"], 3) and p.y == 2
    assert p._asdict() == {"x": 1, "y": 2, "tags": ["t"], "z": 3}
    assert copy.copy(p) == p and copy.deepcopy(p) == p
    assert pickle.loads(pickle.dumps(p)) == p
