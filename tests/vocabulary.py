"""Checking exports against the published terms shipped in tests/data (schema.org's vocabulary
and Google's ClaimReview rules, tests/data/schemaorg/): every typed node's type is known, every
property may be used on that type, every value has a type the property allows."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DATA = Path(__file__).resolve().parent / "data"
SCHEMA = tomllib.loads((DATA / "schemaorg" / "vocabulary.toml").read_text(encoding="utf-8"))
GOOGLE = tomllib.loads((DATA / "schemaorg" / "google_claimreview.toml").read_text("utf-8"))

_DATA_TYPES = {"Text", "URL", "Number", "Date", "DateTime", "Boolean"}


def ancestors(kind: str) -> set[str]:
    """The type and every type above it."""
    found = {kind}
    for parent in SCHEMA["types"].get(kind, []):
        found |= ancestors(parent)
    return found


def _is_url(text: str) -> bool:
    parts = urlsplit(text)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("urn", "mailto"))


def _literal_fits(value: Any, ranges: set[str]) -> bool:
    if isinstance(value, bool):
        return "Boolean" in ranges
    if isinstance(value, int | float):
        return "Number" in ranges
    if not isinstance(value, str):
        return False
    if "Text" in ranges:
        return True
    if "URL" in ranges and _is_url(value):
        return True
    if "Date" in ranges and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value) is not None
    if "DateTime" in ranges:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return False
        return True
    return False


def schemaorg_errors(value: Any, where: str = "$") -> list[str]:
    """Every breach of the shipped schema.org terms in a JSON-LD value (object or list)."""
    if isinstance(value, list):
        return [e for i, item in enumerate(value) for e in schemaorg_errors(item, f"{where}[{i}]")]
    if not isinstance(value, dict):
        return []
    errors: list[str] = []
    kind = value.get("@type")
    if kind not in SCHEMA["types"]:
        return [f"{where}: unknown type {kind!r}"]
    types = ancestors(kind)
    for key, item in value.items():
        if key.startswith("@"):
            if key not in ("@type", "@context"):
                errors.append(f"{where}: unexpected keyword {key}")
            continue
        term = SCHEMA["properties"].get(key)
        if term is None:
            errors.append(f"{where}.{key}: not a schema.org property (of the shipped terms)")
            continue
        if not types & set(term["domain"]):
            errors.append(f"{where}.{key}: not a property of {kind}")
        ranges = set(term["range"])
        for index, one in enumerate(item if isinstance(item, list) else [item]):
            at = f"{where}.{key}" + (f"[{index}]" if isinstance(item, list) else "")
            if isinstance(one, dict):
                inner = one.get("@type")
                if inner not in SCHEMA["types"] or not ancestors(inner) & ranges:
                    errors.append(f"{at}: a {inner} is not one of {sorted(ranges)}")
                errors += schemaorg_errors(one, at)
            elif not _literal_fits(one, ranges & _DATA_TYPES):
                errors.append(f"{at}: {one!r} is not one of {sorted(ranges)}")
    return errors


def google_errors(review: dict[str, Any]) -> list[str]:
    """Breaches of Google's required properties and stated constraints for one ClaimReview."""
    errors = [
        f"ClaimReview.{key} missing"
        for key in GOOGLE["ClaimReview"]["required"]
        if not review.get(key)
    ]
    rating = review.get("reviewRating", {})
    errors += [
        f"Rating.{key} missing" for key in GOOGLE["Rating"]["required"] if not rating.get(key)
    ]
    rules = GOOGLE["constraints"]
    url = review.get("url", "")
    if url and urlsplit(url).scheme not in rules["url_schemes"]:
        errors.append(f"url {url!r} is not the address of a web page")
    worst, best = rating.get("worstRating"), rating.get("bestRating")
    value = rating.get("ratingValue")
    if worst is not None and worst < rules["min_worst_rating"]:
        errors.append(f"worstRating {worst} is below {rules['min_worst_rating']}")
    if worst is not None and best is not None and not best > worst:
        errors.append(f"bestRating {best} is not above worstRating {worst}")
    if value is not None and worst is not None and best is not None and not worst <= value <= best:
        errors.append(f"ratingValue {value} is outside {worst}..{best}")
    return errors


def google_recommended(review: dict[str, Any]) -> dict[str, list[str]]:
    """Per type (ClaimReview, Claim, Rating), the recommended properties the review fills."""
    parts = {
        "ClaimReview": review,
        "Claim": review.get("itemReviewed", {}),
        "Rating": review.get("reviewRating", {}),
    }
    return {
        kind: [key for key in GOOGLE[kind]["recommended"] if node.get(key)]
        for kind, node in parts.items()
    }
