"""Testing knobs: typed, per subsystem, declared beside the code that reads them.

As CockroachDB's `StoreTestingKnobs` live in the store package and travel in
`TestServerArgs.Knobs`, a subsystem here declares its knobs as a frozen
dataclass subclassing `TestingKnobs`, in the module that reads them; a test
passes instances in `TestServerArgs(knobs=(...,))`. Knobs are plain data, so
they reach a subprocess server too: the factory writes them into the server's
configuration (`testing_knobs: {subsystem: {field: value}}`), which the
server parses back into the same dataclass.

    @dataclass(frozen=True)
    class StorageKnobs(TestingKnobs):
        subsystem: ClassVar[str] = "storage"
        fail_commit: int | None = None     # the Nth commit fails as on a full disk
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, ClassVar

_types: dict[str, type[TestingKnobs]] = {}


class TestingKnobs:
    """Base of one subsystem's knobs (subclass it as a frozen dataclass; `subsystem` names it)."""

    __test__ = False
    subsystem: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.subsystem:
            raise TypeError(f"{cls.__qualname__} must set `subsystem: ClassVar[str]`")
        known = _types.get(cls.subsystem)
        if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(f"testing knobs for {cls.subsystem!r} are declared twice: "
                            f"{known.__module__}.{known.__qualname__} and {cls.__module__}.{cls.__qualname__}")
        _types[cls.subsystem] = cls

    def to_config(self) -> dict[str, Any]:
        """The knobs as configuration data (only the fields set away from their defaults)."""
        assert dataclasses.is_dataclass(self)
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if getattr(self, f.name) != f.default}


def knob_types() -> dict[str, type[TestingKnobs]]:
    """The knob classes declared so far, by subsystem."""
    return dict(_types)


def knobs_from_config(subsystem: str, data: Mapping[str, Any]) -> TestingKnobs:
    """Build `subsystem`'s knobs from configuration data; ValueError names what is wrong."""
    cls = _types.get(subsystem)
    if cls is None:
        raise ValueError(f"no testing knobs for subsystem {subsystem!r}; known: {', '.join(sorted(_types))}")
    assert dataclasses.is_dataclass(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in fields:
            raise ValueError(f"unknown knob {subsystem}.{name}; known: {', '.join(fields)}")
        if not _fits(value, hints[name]):
            raise ValueError(f"knob {subsystem}.{name} must be {hints[name]}, got {value!r}")
        values[name] = value
    return cls(**values)


def _fits(value: Any, hint: Any) -> bool:
    options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, _UnionType) else (hint,)
    for option in options:
        if option is type(None) and value is None:
            return True
        if option is bool and isinstance(value, bool):
            return True
        if option is int and isinstance(value, int) and not isinstance(value, bool):
            return True
        if option is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if option is str and isinstance(value, str):
            return True
    return False


_UnionType = type(int | None)
