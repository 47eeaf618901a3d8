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


ANNO = tomllib.loads((DATA / "webannotation" / "model.toml").read_text(encoding="utf-8"))
_SCHEMA_IRI = "https://schema.org/"


def _node_class(node: dict[str, Any], fallback: str) -> str:
    kind = node.get("type", fallback)
    return kind if isinstance(kind, str) else fallback


def annotation_errors(value: Any) -> list[str]:
    """Every breach of the shipped Web Annotation model terms in one annotation (or a list)."""
    if isinstance(value, list):
        return [e for i, item in enumerate(value) for e in _check_anno(item, f"$[{i}]")]
    return _check_anno(value, "$")


def _check_anno(node: Any, where: str) -> list[str]:
    if not isinstance(node, dict) or node.get("type") != "Annotation":
        return [f"{where}: not an Annotation"]
    errors = _check_node(node, "Annotation", where)
    if node.get("@context") != ANNO["context"]:
        errors.append(f"{where}: @context must be the string {ANNO['context']}")
    if not _is_url(str(node.get("id", ""))):
        errors.append(f"{where}.id: not an IRI")
    for motivation in (
        node.get("motivation", [])
        if isinstance(node.get("motivation"), list)
        else [node.get("motivation")]
    ):
        if motivation is not None and motivation not in ANNO["motivations"]:
            errors.append(f"{where}.motivation: {motivation!r} is not a motivation of the model")
    for key in ("created", "modified"):
        if key in node:
            try:
                stamp = datetime.fromisoformat(node[key])
            except (TypeError, ValueError):
                errors.append(f"{where}.{key}: not an xsd:dateTime")
            else:
                if stamp.tzinfo is None:
                    errors.append(f"{where}.{key}: no timezone")
    bodies = node.get("body", [])
    for index, body in enumerate(bodies if isinstance(bodies, list) else [bodies]):
        at = f"{where}.body[{index}]"
        if not isinstance(body, dict):
            errors.append(f"{at}: not a resource")
            continue
        errors += _check_node(body, _node_class(body, "SpecificResource"), at)
        if body.get("purpose") not in (None, *ANNO["motivations"]):
            errors.append(f"{at}.purpose: {body.get('purpose')!r} is not a motivation")
        errors += _selectors(body.get("selector"), at)
    targets = node.get("target")
    for index, target in enumerate(targets if isinstance(targets, list) else [targets]):
        at = f"{where}.target[{index}]"
        if not isinstance(target, dict):
            errors.append(f"{at}: not a SpecificResource")
            continue
        errors += _check_node(target, "SpecificResource", at)
        if not _is_url(str(target.get("source", ""))):
            errors.append(f"{at}.source: not an IRI")
        errors += _selectors(target.get("selector"), at)
    if isinstance(node.get("creator"), dict):
        errors += _check_node(
            node["creator"], _node_class(node["creator"], "Person"), f"{where}.creator"
        )
    return errors


def _selectors(value: Any, where: str) -> list[str]:
    errors: list[str] = []
    for index, selector in enumerate(
        value if isinstance(value, list) else [] if value is None else [value]
    ):
        at = f"{where}.selector[{index}]"
        if not isinstance(selector, dict):
            errors.append(f"{at}: not a selector")
            continue
        kind = _node_class(selector, "")
        errors += _check_node(selector, kind, at)
        if kind == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if not all(
                isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (start, end)
            ):
                errors.append(f"{at}: start and end must be non-negative integers")
            elif end < start:
                errors.append(f"{at}: end before start")
        if kind == "TextQuoteSelector":
            for key in ("exact", "prefix", "suffix"):
                if key in selector and not isinstance(selector[key], str):
                    errors.append(f"{at}.{key}: not a string")
    return errors


def _check_node(node: dict[str, Any], kind: str, where: str) -> list[str]:
    spec = ANNO["classes"].get(kind)
    if spec is None:
        return [f"{where}: {kind!r} is not a class of the model (of the shipped terms)"]
    errors = [f"{where}: {kind} needs {key}" for key in spec["required"] if key not in node]
    for key in node:
        if key.startswith(_SCHEMA_IRI):
            if key.removeprefix(_SCHEMA_IRI) not in SCHEMA["properties"]:
                errors.append(f"{where}.{key}: not a schema.org property")
        elif key not in spec["properties"]:
            errors.append(f"{where}.{key}: not a property of {kind} in the model")
    return errors
