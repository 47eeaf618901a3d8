"""Who reported an event: its articles counted by outlet, language and side, and whether only
one side reported it (a blind spot of the other sides).

Sides come from config.toml's ``[outlets]`` (:class:`reader.core.config_checks.OutletPlace`):
an outlet counts on its side, else on its country; an outlet the user did not place counts on
no side. Pure: nothing here reads a file. Names are returned as the articles (or the config)
spell them, unsanitised: whoever prints them sanitises them (:func:`summary` does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from reader.core.config_checks import OutletPlace, outlet_key
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line

Counts = tuple[tuple[str, int], ...]  # (name, articles), most articles first, then by name


@dataclass(frozen=True, slots=True)
class Coverage:
    """Who reported one event.

    ``outlets``: articles per outlet (outlets matched ignoring case and spaces; shown as the
    config names them, else as their first article does); ``no_outlet``: articles that name
    none. ``languages``: per language code. ``sides``: per side (an outlet's side, else its
    country) and ``countries``: per country, both only for outlets the user placed;
    ``no_side``: articles whose outlet has no side. ``one_sided``: the one side that reported
    the event when every placed outlet is on it, at least one is, and the config knows another
    side ("" otherwise); ``blind``: those other sides, which did not report it.
    """

    size: int
    outlets: Counts
    no_outlet: int
    languages: Counts
    sides: Counts
    countries: Counts
    no_side: int
    one_sided: str
    blind: tuple[str, ...]


def _ranked(counter: Mapping[str, int]) -> Counts:
    if len(counter) < 2:  # nothing to order (most events: one article)
        return tuple(counter.items())
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold(), item[0])))


def sides_placed(outlets: Mapping[str, OutletPlace]) -> set[str]:
    """The sides (a side, else a country) the user gave outlets in ``[outlets]``: an event is
    one-sided only when there are at least two."""
    return {place.camp for place in outlets.values() if place.camp}


def coverage_of(articles: Iterable[Article], outlets: Mapping[str, OutletPlace]) -> Coverage:
    """The coverage of the event whose articles are ``articles``; ``outlets`` is the config's
    ``[outlets]`` (:attr:`reader.core.config.Config.outlets`), keyed by outlet key."""
    # Plain dicts, not Counters: this runs for every event of a listing (tens of thousands).
    by_outlet: dict[str, int] = {}
    shown: dict[str, str] = {}
    languages: dict[str, int] = {}
    sides: dict[str, int] = {}
    countries: dict[str, int] = {}
    size = no_outlet = no_side = 0
    for article in articles:
        size += 1
        languages[article.lang] = languages.get(article.lang, 0) + 1
        key = outlet_key(article.outlet)
        if not key:
            no_outlet += 1
            no_side += 1
            continue
        place = outlets.get(key)
        name = shown.setdefault(key, place.name if place is not None else article.outlet.strip())
        by_outlet[name] = by_outlet.get(name, 0) + 1
        if place is None or not place.camp:
            no_side += 1
            continue
        sides[place.camp] = sides.get(place.camp, 0) + 1
        if place.country:
            countries[place.country] = countries.get(place.country, 0) + 1
    known = sides_placed(outlets)
    blind = tuple(sorted(known - set(sides), key=str.casefold)) if len(sides) == 1 else ()
    return Coverage(
        size=size,
        outlets=_ranked(by_outlet),
        no_outlet=no_outlet,
        languages=_ranked(languages),
        sides=_ranked(sides),
        countries=_ranked(countries),
        no_side=no_side,
        one_sided=next(iter(sides)) if blind else "",
        blind=blind,
    )


def summary(
    coverage: Coverage, *, outlets: bool = False, name: Callable[[str], str] = one_line
) -> str:
    """One line for a header: languages with their counts, the number of outlets (their names
    with ``outlets``), the sides, and the one side when only it reported the event, e.g.
    ``EN 3 · AR 2 · 4 outlets · GNA 4, LNA 1`` or ``... · one-sided: GNA``. Every name goes
    through ``name``, by default sanitised (:func:`one_line`): safe to print or draw (a
    caller laying text out for a terminal passes its own, which must be as safe)."""
    parts = [f"{one_line(lang).upper()} {n}" for lang, n in coverage.languages]
    count = len(coverage.outlets)
    if outlets and count:
        parts.append(", ".join(f"{name(outlet)} {n}" for outlet, n in coverage.outlets))
    elif count:
        parts.append(f"{count} outlet{'s' if count != 1 else ''}")
    else:
        parts.append("no outlet named")
    if coverage.one_sided:
        parts.append(f"one-sided: {name(coverage.one_sided)}")
    elif coverage.sides:
        parts.append(", ".join(f"{name(side)} {n}" for side, n in coverage.sides))
    return " · ".join(parts)
