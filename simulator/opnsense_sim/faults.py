"""Fault injection: rules matched against API requests (design.md section 6).

A rule matches on `method` (optional, case-insensitive) and `path` (a regex searched in the request
path). It fires on the `nth` match (1-based, default 1) and on the following matches until it has
fired `times` times (default 1; 0 means every time from the nth on).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

EFFECTS = ("http500", "reset", "timeout", "commit_then_reset", "validation", "delay")


@dataclass
class FaultRule:
    effect: str
    path: str = ".*"
    method: str | None = None
    nth: int = 1
    times: int = 1
    delay_ms: float = 0
    seen: int = 0
    fired: int = 0
    _re: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.effect not in EFFECTS:
            raise ValueError(f"unknown effect {self.effect!r}; choose one of {', '.join(EFFECTS)}")
        if self.nth < 1:
            raise ValueError("nth is 1-based")
        self._re = re.compile(self.path)

    def as_dict(self) -> dict[str, Any]:
        return {
            "effect": self.effect, "path": self.path, "method": self.method, "nth": self.nth,
            "times": self.times, "delay_ms": self.delay_ms, "seen": self.seen, "fired": self.fired,
        }


class Faults:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.lock = threading.Lock()

    def add(self, rules: list[dict[str, Any]]) -> None:
        parsed = []
        for r in rules:
            known = {k: r[k] for k in ("effect", "path", "method", "nth", "times", "delay_ms") if k in r and r[k] is not None}
            parsed.append(FaultRule(**known))
        with self.lock:
            self.rules.extend(parsed)

    def clear(self) -> None:
        with self.lock:
            self.rules = []

    def match(self, method: str, path: str) -> FaultRule | None:
        """Counts this request against every matching rule; returns the first rule that fires."""
        fired = None
        with self.lock:
            for rule in self.rules:
                if rule.method and rule.method.upper() != method.upper():
                    continue
                if not rule._re.search(path):
                    continue
                rule.seen += 1
                if fired is None and rule.seen >= rule.nth and (rule.times == 0 or rule.fired < rule.times):
                    rule.fired += 1
                    fired = rule
        return fired

    def as_list(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r.as_dict() for r in self.rules]
