"""Walk the URL configuration: every pattern with its view, policy and the objects its URL needs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from weerbaar.core.policies import Policy, get_policy

#: Patterns that only exist in development (DEBUG static files) and have no policy to check.
IGNORED_PREFIXES = ("static/",)


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    callback: Callable[..., Any]
    converters: tuple[str, ...]

    @property
    def policy(self) -> Policy | None:
        return get_policy(self.callback)

    @property
    def is_api(self) -> bool:
        return hasattr(self.callback, "cls")

    def url(self, kwargs: dict[str, str]) -> str:
        path = self.pattern
        for name in self.converters:
            path = _replace(path, name, kwargs[name])
        return "/" + path


def _replace(path: str, name: str, value: str) -> str:
    start = path.index("<")
    while start != -1:
        end = path.index(">", start)
        inner = path[start + 1 : end]
        if inner.split(":")[-1] == name:
            return path[:start] + value + path[end + 1 :]
        start = path.find("<", end)
    raise KeyError(name)


def iter_routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            if pattern.startswith(IGNORED_PREFIXES) or "(?P<format>" in pattern or "\\.(?P" in pattern:
                continue
            yield Route(
                pattern=pattern.lstrip("^").rstrip("$"),
                name=f"{namespace}{entry.name or ''}",
                callback=entry.callback,
                converters=tuple(entry.pattern.converters.keys()) + _prefix_converters(prefix),
            )


def _prefix_converters(prefix: str) -> tuple[str, ...]:
    names = []
    start = prefix.find("<")
    while start != -1:
        end = prefix.index(">", start)
        names.append(prefix[start + 1 : end].split(":")[-1])
        start = prefix.find("<", end)
    return tuple(names)


def routes_without_policy(routes: list[Route]) -> list[Route]:
    missing = []
    for route in routes:
        if route.is_api:
            cls = route.callback.cls  # type: ignore[attr-defined]
            if getattr(cls, "required_permissions", None) is None and get_policy(route.callback) is None:
                missing.append(route)
        elif route.policy is None:
            missing.append(route)
    return missing
