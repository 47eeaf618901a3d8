"""How far reader's fact comparison can be trusted: per-class precision and recall of the
divergences it reports on a labelled set of sentence pairs (tests/data/divergences/pairs.toml).

Run ``python -m tests.bench.divergence_quality [PAIRS]`` from the project root (PAIRS defaults
to the project's set); tests/test_divergence_quality.py runs the same code and prints the same
table. Each pair becomes two one-paragraph articles, ``a`` and ``b`` (the sentence is the body,
so offsets into the sentence are offsets into the article; the pair's publication dates become
``published``), and :func:`reader.core.events.alignment.find_divergences` compares them with the
built-in gazetteer.

Labels (per expected fact): ``conflict``, ``differ``, ``agree``, ``only``; a pair with no fact
at all is labelled ``none``. The file's header says what each means.

How the engine's output is read (:func:`reported`, the adapter): every divergence becomes a
:class:`Reported` - its status mapped to a label (``shared`` -> agree, ``conflict``,
``only``, and ``differ`` or ``agree`` when an engine reports them), its kind, and per side
the spans its statements cover. The next engine (``differ``, roles, subjects) needs at most a
new entry in :data:`STATUS_LABELS` and :data:`ROLE_KINDS`.

Matching rule: an expected fact gives, per side it is stated in, the exact words stating it
(a quote that occurs once in that sentence). A reported divergence *touches* a side of an
expected fact when one of its statements on that side overlaps the quote (character spans).
Entity divergences are matched only to expected facts of role ``entity``, the others only to
the rest. Then, per expected fact:

- stated on both sides: the first reported divergence (engine order) touching both sides gives
  the verdict, its status's label (agree / conflict / differ). If none touches both but some
  touch one side (two ``only`` rows, or each figure paired with something else) the verdict is
  ``only``: the figures are shown, but not as one fact. Nothing touching: ``missed``.
- stated on one side (label ``only``): a touching divergence that also holds a statement of the
  other article gives its status's label (the figure was paired with something it is not
  comparable to); else a touching ``only`` divergence gives ``only``; else ``missed``.

Reported divergences that touch no expected fact are *spurious* (dateline dates, timestamps,
a figure of the wrong role ...); they form the ``none`` row of the confusion matrix and count
against the precision of their class. Entity divergences that touch no expected ``entity`` fact
are not scored (every place name is one; they are counted on their own line).

Per class C: recall = facts labelled C with verdict C / facts labelled C; precision = the same
over (facts with verdict C + spurious divergences of status C). The figure the issue requires
to be 0: facts labelled conflict or differ (two different figures for one role and subject)
whose verdict is agree. Also printed, for diagnosis only: facts touched by a divergence of a
kind that does not express their role (:data:`ROLE_KINDS`: "killed" filed as "count"), facts
with a figure paired to a statement that is not its counterpart, and recall per language pair.
``-v`` lists every wrong verdict and every spurious divergence.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reader.core.events.divergences import Divergence, find_divergences
from reader.core.names.entities import Gazetteer
from reader.core.names.gazetteer import gazetteer_for
from reader.core.sources.article import Article

DEFAULT_PAIRS = Path(__file__).resolve().parents[1] / "data" / "divergences" / "pairs.toml"
LABELS = ("conflict", "differ", "agree", "only")
PAIR_LABELS = (*LABELS, "none")
VERDICTS = (*LABELS, "missed")
LANGS = ("en", "ar")
SIDES = ("a", "b")
# What an engine's status means as a label. The current engine says "shared" for agree.
STATUS_LABELS = {
    "shared": "agree",
    "agree": "agree",
    "conflict": "conflict",
    "differ": "differ",
    "only": "only",
}
# The engine kinds that express each role (for the "matched with the wrong kind" figure only:
# the verdict does not depend on it). Roles the current engine has no kind for map to the kind
# it files such figures under, when there is one.
ROLE_KINDS: dict[str, frozenset[str]] = {
    "killed": frozenset({"killed"}),
    "wounded": frozenset({"wounded"}),
    "displaced": frozenset({"displaced", "count"}),
    "detained": frozenset({"detained", "count"}),
    "missing": frozenset({"missing", "count"}),
    "distance": frozenset({"distance"}),
    "duration": frozenset({"duration"}),
    "troops": frozenset({"troops", "count"}),
    "aircraft": frozenset({"aircraft", "count"}),
    "vehicles": frozenset({"vehicles", "count"}),
    "money": frozenset({"money"}),
    "percent": frozenset({"percent"}),
    "count": frozenset({"count"}),
    "age": frozenset({"age"}),
    "date": frozenset({"date"}),
    "time": frozenset({"time"}),
    "predicate": frozenset({"predicate", "claim"}),
    "entity": frozenset({"entity"}),
}
ROLES = tuple(ROLE_KINDS)


class PairsError(ValueError):
    """The pairs file is unreadable or a pair is malformed (the message names file and pair)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    lang: str
    text: str
    published: date | None


@dataclass(frozen=True, slots=True)
class Expected:
    """One labelled fact: ``quotes`` maps a side ("a"/"b") to the words stating it there."""

    role: str
    subject: str
    quotes: dict[str, str]
    label: str

    def span(self, side: str, text: str) -> tuple[int, int] | None:
        quote = self.quotes.get(side)
        if quote is None:
            return None
        start = text.index(quote)
        return start, start + len(quote)


@dataclass(frozen=True, slots=True)
class Pair:
    id: str
    a: Sentence
    b: Sentence
    label: str  # "none" for a pair with nothing comparable, else "facts"
    facts: tuple[Expected, ...]
    note: str = ""

    @property
    def langs(self) -> str:
        """ "en-ar", "en-en" or "ar-ar" (the order of the sides does not matter)."""
        return "-".join(sorted((self.a.lang, self.b.lang), reverse=True))

    def sentence(self, side: str) -> Sentence:
        return self.a if side == "a" else self.b


# --- loading -------------------------------------------------------------------------------


def _sentence(where: str, raw: Any) -> Sentence:
    if not isinstance(raw, dict) or set(raw) - {"lang", "text", "published"}:
        raise PairsError(f"{where}: expected {{ lang, text, published? }}")
    lang, text, published = raw.get("lang"), raw.get("text"), raw.get("published")
    if lang not in LANGS:
        raise PairsError(f"{where}: lang must be one of {', '.join(LANGS)}, not {lang!r}")
    if not isinstance(text, str) or not text.strip() or "\n" in text:
        raise PairsError(f"{where}: text must be one non-empty line")
    if published is not None and not (
        isinstance(published, date) and not hasattr(published, "hour")
    ):
        raise PairsError(f"{where}: published must be a date (2020-05-18)")
    return Sentence(lang, text, published)


def _fact(where: str, raw: Any, a: Sentence, b: Sentence) -> Expected:
    if not isinstance(raw, dict) or set(raw) - {"role", "subject", "a", "b", "label", "note"}:
        raise PairsError(f"{where}: expected {{ role, subject, a?, b?, label, note? }}")
    role, subject, label = raw.get("role"), raw.get("subject"), raw.get("label")
    if role not in ROLES:
        raise PairsError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
    if not isinstance(subject, str) or not subject:
        raise PairsError(f"{where}: subject must be a non-empty string")
    if label not in LABELS:
        raise PairsError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
    quotes = {s: raw[s] for s in SIDES if s in raw}
    for side, quote in quotes.items():
        text = (a if side == "a" else b).text
        if not isinstance(quote, str) or not quote or text.count(quote) != 1:
            raise PairsError(
                f"{where}: {side} = {quote!r} must occur exactly once in sentence {side}"
            )
    if (label == "only") != (len(quotes) == 1) or not quotes:
        raise PairsError(f"{where}: give one of a, b for label 'only' and both for the others")
    return Expected(role, subject, quotes, label)


_PAIR_KEYS = frozenset({"id", "a", "b", "label", "facts", "note"})


def parse_pairs(text: str, path: str) -> list[Pair]:
    """The pairs of a pairs file's text; raises :class:`PairsError` naming ``path`` and the
    pair for anything malformed (see the file's header for the format)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PairsError(f"{path}: {error}") from None
    raw_pairs = data.get("pair")
    if not isinstance(raw_pairs, list) or set(data) - {"pair"}:
        raise PairsError(f"{path}: expected only [[pair]] tables")
    pairs: list[Pair] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_pairs, start=1):
        if not isinstance(raw, dict):
            raise PairsError(f"{path}: pair {number}: expected a [[pair]] table")
        pair_id = raw.get("id")
        where = f"{path}: pair {pair_id or number}"
        if not isinstance(pair_id, str) or not pair_id or pair_id in seen:
            raise PairsError(f"{where}: id missing or repeated")
        seen.add(pair_id)
        if unknown := sorted(set(raw) - _PAIR_KEYS):
            raise PairsError(f"{where}: unknown key(s) {', '.join(unknown)}")
        a, b = _sentence(f"{where}.a", raw.get("a")), _sentence(f"{where}.b", raw.get("b"))
        raw_facts = raw.get("facts", [])
        if not isinstance(raw_facts, list):
            raise PairsError(f"{where}: facts must be a list")
        facts = tuple(_fact(f"{where} fact {i + 1}", f, a, b) for i, f in enumerate(raw_facts))
        label = raw.get("label", "facts")
        if (label == "none") != (not facts) or label not in ("none", "facts"):
            raise PairsError(f'{where}: label = "none" exactly when facts is empty')
        note = raw.get("note", "")
        if not isinstance(note, str):
            raise PairsError(f"{where}: note must be a string")
        pairs.append(Pair(pair_id, a, b, label, facts, note))
    return pairs


def load_pairs(path: Path = DEFAULT_PAIRS) -> list[Pair]:
    """:func:`parse_pairs` of a file; an unreadable file raises PairsError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PairsError(f"{path}: cannot read: {error}") from None
    return parse_pairs(text, str(path))


# --- running and reading the engine -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reported:
    """One reported divergence as the scoring reads it: ``spans`` per side it holds a
    statement on (a side may hold several, e.g. a date range)."""

    label: str
    kind: str
    spans: dict[str, tuple[tuple[int, int], ...]]
    description: str

    def touches(self, side: str, span: tuple[int, int] | None) -> bool:
        if span is None:
            return False
        return any(s < span[1] and span[0] < e for s, e in self.spans.get(side, ()))


def articles(pair: Pair) -> tuple[Article, Article]:
    """The two one-paragraph articles a pair is compared as (ids "a" and "b")."""

    def article(side: str, sentence: Sentence) -> Article:
        return Article(side, "", sentence.text, sentence.lang, published=sentence.published)

    return article("a", pair.a), article("b", pair.b)


def reported(divergences: Sequence[Divergence]) -> list[Reported]:
    """The adapter: an engine's divergences (in its order) as :class:`Reported`."""
    result = []
    for divergence in divergences:
        if divergence.status not in STATUS_LABELS:
            raise ValueError(f"unknown divergence status {divergence.status!r}")
        spans: dict[str, list[tuple[int, int]]] = {}
        for ref in divergence.refs:
            spans.setdefault(ref.article_id, []).append((ref.start, ref.end))
        result.append(
            Reported(
                STATUS_LABELS[divergence.status],
                divergence.kind,
                {side: tuple(s) for side, s in spans.items()},
                divergence.description,
            )
        )
    return result


def run(pair: Pair, gazetteer: Gazetteer) -> list[Reported]:
    """What the current engine reports on one pair."""
    return reported(find_divergences(list(articles(pair)), gazetteer))


# --- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the engine made of one expected fact."""

    pair: str
    role: str
    subject: str
    label: str
    got: str  # one of VERDICTS
    kinds: tuple[str, ...]  # the kinds of the divergences that touch it (none when missed)
    mispaired: bool  # a figure of it was paired with a statement that is not its counterpart

    @property
    def kind_ok(self) -> bool:
        """Whether every divergence touching it is of a kind that expresses its role."""
        return all(kind in ROLE_KINDS[self.role] for kind in self.kinds)


@dataclass(frozen=True, slots=True)
class Spurious:
    pair: str
    label: str
    kind: str
    description: str


@dataclass(frozen=True, slots=True)
class Score:
    pairs_run: int
    verdicts: tuple[Verdict, ...]
    spurious: tuple[Spurious, ...]
    entities_unscored: int

    def confusion(self) -> Counter[tuple[str, str]]:
        """(expected label, verdict) counts; the "none" row holds spurious divergences."""
        counts: Counter[tuple[str, str]] = Counter((v.label, v.got) for v in self.verdicts)
        counts.update(("none", s.label) for s in self.spurious)
        return counts

    def counts(self, label: str) -> tuple[int, int, int]:
        """(right, reported as ``label``, labelled ``label``)."""
        right = sum(v.label == label == v.got for v in self.verdicts)
        said = sum(v.got == label for v in self.verdicts) + sum(
            s.label == label for s in self.spurious
        )
        return right, said, sum(v.label == label for v in self.verdicts)

    def different_figures_agreeing(self) -> list[Verdict]:
        """Facts labelled conflict or differ that the engine reported as agreeing."""
        return [v for v in self.verdicts if v.label in ("conflict", "differ") and v.got == "agree"]


def score_pair(pair: Pair, found: Sequence[Reported]) -> tuple[list[Verdict], list[Spurious], int]:
    """The verdicts on a pair's expected facts, its spurious divergences, and how many entity
    divergences were left unscored (see the module docstring for the rule)."""
    spans = [
        {side: fact.span(side, pair.sentence(side).text) for side in SIDES} for fact in pair.facts
    ]
    used = [False] * len(found)
    verdicts = []
    for fact, where in zip(pair.facts, spans, strict=True):
        entity = fact.role == "entity"
        touching = [
            (i, r)
            for i, r in enumerate(found)
            if (r.kind == "entity") == entity and any(r.touches(s, where[s]) for s in SIDES)
        ]
        for i, _r in touching:
            used[i] = True
        reports = [r for _i, r in touching]
        got, mispaired = "missed", False
        if len(fact.quotes) == 2:
            both = [r for r in reports if all(r.touches(s, where[s]) for s in SIDES)]
            if both:
                got, reports = both[0].label, both[:1]
            elif reports:
                got, mispaired = "only", any(len(r.spans) > 1 for r in reports)
        elif reports:
            paired = [r for r in reports if len(r.spans) > 1]
            got, mispaired = (paired or reports)[0].label, bool(paired)
        kinds = tuple(dict.fromkeys(r.kind for r in reports))
        verdicts.append(
            Verdict(pair.id, fact.role, fact.subject, fact.label, got, kinds, mispaired)
        )
    spurious = [
        Spurious(pair.id, r.label, r.kind, r.description)
        for i, r in enumerate(found)
        if not used[i] and r.kind != "entity"
    ]
    unscored = sum(not used[i] and r.kind == "entity" for i, r in enumerate(found))
    return verdicts, spurious, unscored


def score(pairs: Sequence[Pair], gazetteer: Gazetteer | None = None) -> Score:
    """Run the engine on every pair and score its output against the labels."""
    gazetteer = gazetteer or gazetteer_for(None)
    verdicts: list[Verdict] = []
    spurious: list[Spurious] = []
    unscored = run_count = 0
    for pair in pairs:
        v, s, u = score_pair(pair, run(pair, gazetteer))
        verdicts.extend(v)
        spurious.extend(s)
        unscored += u
        run_count += 1
    return Score(run_count, tuple(verdicts), tuple(spurious), unscored)


# --- the table -----------------------------------------------------------------------------


def ratio(numerator: int, denominator: int) -> str:
    """``numerator/denominator`` as three decimals, "-" when there is nothing to divide."""
    return f"{numerator / denominator:.3f}" if denominator else "  -  "


def table(pairs: Sequence[Pair], result: Score) -> list[str]:
    """The figures as printed lines."""
    by_langs = Counter(p.langs for p in pairs)
    lines = [
        f"pairs run: {result.pairs_run} ("
        + ", ".join(f"{k} {n}" for k, n in sorted(by_langs.items()))
        + f"); expected facts: {len(result.verdicts)}; pairs labelled none: "
        + f"{sum(p.label == 'none' for p in pairs)}",
        "",
        f"{'class':<9} {'precision':>9} {'':>9} {'recall':>7} {'':>9}",
    ]
    for label in LABELS:
        right, said, labelled = result.counts(label)
        lines.append(
            f"{label:<9} {ratio(right, said):>9} {f'{right}/{said}':>9}"
            f" {ratio(right, labelled):>7} {f'{right}/{labelled}':>9}"
        )
    confusion = result.confusion()
    lines += ["", "confusion (rows: label, columns: what was reported; none = spurious):"]
    lines.append(f"{'':<9}" + "".join(f"{v:>9}" for v in VERDICTS))
    for label in PAIR_LABELS:
        cells = "".join(
            f"{'-' if label == 'none' and v == 'missed' else confusion[label, v]:>9}"
            for v in VERDICTS
        )
        lines.append(f"{label:<9}{cells}")
    agreeing = result.different_figures_agreeing()
    lines += [
        "",
        f"two different figures for one role and subject reported as agreeing: {len(agreeing)}"
        + (f" ({', '.join(sorted({v.pair for v in agreeing}))})" if agreeing else ""),
    ]
    wrong_kind = [v for v in result.verdicts if v.got != "missed" and not v.kind_ok]
    mispaired = [v for v in result.verdicts if v.mispaired]
    lines.append(f"facts found under a kind that is not their role: {len(wrong_kind)}")
    lines.append(
        f"facts with a figure paired to something that is not its counterpart: {len(mispaired)}"
    )
    lines.append(
        f"entity divergences not scored (no entity fact labelled there): {result.entities_unscored}"
    )
    langs = {p.id: p.langs for p in pairs}
    lines += ["", "recall by language pair:"]
    for pair_langs in sorted(set(langs.values()), reverse=True):
        parts = []
        for label in LABELS:
            mine = [v for v in result.verdicts if langs[v.pair] == pair_langs and v.label == label]
            right = sum(v.got == label for v in mine)
            parts.append(f"{label} {right}/{len(mine)}")
        lines.append(f"  {pair_langs}: " + ", ".join(parts))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tests.bench.divergence_quality [PAIRS] [-v]``: print the table (and with
    ``-v`` every wrong verdict and spurious divergence)."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    try:
        pairs = load_pairs(Path(args[0]) if args else DEFAULT_PAIRS)
    except PairsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    result = score(pairs)
    print("\n".join(table(pairs, result)))
    if verbose:
        print("\nwrong verdicts:")
        for v in result.verdicts:
            if v.got != v.label:
                kinds = ", ".join(v.kinds)
                print(f"  {v.pair}: {v.role} ({v.subject}) {v.label} -> {v.got} [{kinds}]")
        print("\nspurious:")
        for s in result.spurious:
            print(f"  {s.pair}: {s.label} {s.kind}: {s.description}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
