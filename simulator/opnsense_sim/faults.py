"""Fault injection: rules matched against API requests (design.md section 6).

A rule matches on `method` (optional, case-insensitive) and `path` (a regex searched in the request
path). It fires on the `nth` match (1-based, default 1) and on the following matches until it has
fired `times` times (default 1; 0 means every time from the nth on).

Effects: http500 (the generic "Unexpected error" 500), reset (connection dropped, nothing done),
timeout (no answer for delay_ms, default 30 s, then dropped), commit_then_reset (the request is
fully handled and committed, then the connection is dropped instead of answering), validation (a
{"result":"failed","validations":...} answer, nothing done), delay (delay_ms more, then normal).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

EFFECTS = ("http500", "reset", "timeout", "commit_then_reset", "validation", "delay")
RULE_KEYS = ("effect", "path", "method", "nth", "times", "delay_ms")


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
        self.nth, self.times, self.delay_ms = int(self.nth), int(self.times), float(self.delay_ms)
        if self.nth < 1:
            raise ValueError("nth is 1-based")
        if self.times < 0 or self.delay_ms < 0:
            raise ValueError("times and delay_ms must be >= 0")
        self._re = re.compile(self.path)

    def as_dict(self) -> dict[str, Any]:
        return {
            "effect": self.effect,
            "path": self.path,
            "method": self.method,
            "nth": self.nth,
            "times": self.times,
            "delay_ms": self.delay_ms,
            "seen": self.seen,
            "fired": self.fired,
        }


class Faults:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.lock = threading.Lock()

    def add(self, rules: list[dict[str, Any]]) -> None:
        """Adds rules atomically: if one is invalid (ValueError), none is added."""
        if not isinstance(rules, list):
            raise ValueError("rules must be a list")
        parsed = []
        for r in rules:
            if not isinstance(r, dict):
                raise ValueError("each rule is an object")
            unknown = set(r) - set(RULE_KEYS)
            if unknown:
                raise ValueError(f"unknown rule keys: {', '.join(sorted(unknown))}; known: {', '.join(RULE_KEYS)}")
            if "effect" not in r:
                raise ValueError("a rule needs an effect")
            known = {k: r[k] for k in RULE_KEYS if r.get(k) is not None}
            try:
                parsed.append(FaultRule(**known))
            except re.error as exc:
                raise ValueError(f"path is not a regular expression: {exc}") from exc
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
