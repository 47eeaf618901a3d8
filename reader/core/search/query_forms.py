"""The other forms of a query's words, added in Whoosh's syntax tree while the query is
parsed (:class:`OtherForms`, a parser plugin): compounds both ways, the word being typed as a
prefix, and the other spellings of names (the gazetteer's and the name layer's), each word
becoming a :class:`Spelled` node that stands for the word as written, the forms it always
stands for, and (in the widened query) its other spellings. :mod:`reader.core.search.query`
owns the plugin and reads back what it found."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from whoosh import query as wq
from whoosh.qparser import syntax
from whoosh.qparser.common import attach
from whoosh.qparser.plugins import PhrasePlugin, Plugin, PrefixPlugin

from reader.core.config import TYPED_PREFIX_FROM
from reader.core.search.analysis import fold_term
from reader.core.search.cross_script import is_one_word, other_spellings, plain_word
from reader.core.search.vocabulary import Vocabulary
from reader.core.search.word_starts import START_LETTERS, StartsNode, typed_start

__all__ = ["OtherForms", "Spelled"]


class Spelled(syntax.GroupNode):  # type: ignore[misc]
    """A word or phrase of the query with its other spellings: the first node is the word as
    written, the next ``always - 1`` the forms it always stands for (its compound forms, its
    prefix while it is being typed), the others its other spellings. It stands for the first
    ``always`` ORed, or for all of them ORed, as the plugin that made it says when the query
    is built."""

    merging = False

    def __init__(
        self,
        nodes: list[Any] | None = None,
        boost: float = 1.0,
        switch: OtherForms | None = None,
        always: int = 1,
    ) -> None:
        super().__init__(nodes, boost, switch=switch, always=always)  # kwargs: empty_copy()
        self.switch = switch
        self.always = always

    def set_boost(self, boost: float) -> None:
        """A boost after the word (Haftar^2) is the word's, as if it stood alone."""
        if self.nodes:
            self.nodes[0].set_boost(boost)
        else:
            self.boost = boost

    def query(self, parser: Any) -> wq.Query | None:
        if not self.nodes:
            return None
        wide = self.switch is not None and self.switch.wide
        nodes = self.nodes if wide else self.nodes[: self.always]
        if len(nodes) == 1:
            return nodes[0].query(parser)
        subs = [q for q in (node.query(parser) for node in nodes) if q is not None]
        return attach(wq.Or(subs, boost=self.boost), self)


def _plain(node: Any) -> bool:
    """A word or phrase node without a field or a boost: one the plugin may widen."""
    return (
        isinstance(node, syntax.WordNode | PhrasePlugin.PhraseNode)
        and node.fieldname is None
        and node.boost == 1.0
    )


def _placed(node: Any, at: Any) -> Any:
    """``node`` standing where ``at`` stands in the query text (for highlighting)."""
    node.set_range(at.startchar, at.endchar)
    return node


class OtherForms(Plugin):  # type: ignore[misc]
    """Whoosh parser plugin: each plain word and phrase (no field, wildcard or boost) with
    other forms becomes a :class:`Spelled` node, before the multifield filter spreads words
    over title and body. The forms, each from what is set for this parse:

    - always (``vocabulary``): compounds, both ways: a hyphenated word also as one word
      (cease-fire: ceasefire), a word that is two words of the corpus also as their phrase
      (ceasefire: "cease fire"; the searcher drops that phrase when no article writes it:
      :func:`reader.core.search.query.without_absent_phrases`), two words in a row also as the
      one word they make;
      (``typing``) the last word of the text, when nothing follows it, also as a prefix
      (two letters: their term in the starts fields, :mod:`reader.core.search.word_starts`);
    - wide (``lookup``): the other spellings of names (``lookup`` of the word), and for two
      or three words in a row that ``phrases`` knows as one name, that name's spellings.

    ``found`` says whether any wide form was added; ``wide`` chooses which query the syntax
    tree builds; ``typed`` collects the prefixes added for the word being typed."""

    def __init__(self) -> None:
        self.lookup: Callable[[str], list[str]] | None = None
        self.phrases: Callable[[str], list[str]] | None = None
        self.vocabulary: Vocabulary | None = None
        self.typing_end: int | None = None  # where the text ends, while it is being typed
        self.found = False
        self.wide = False
        self.typed: list[str] = []

    def reset(self) -> None:
        """Forget what the last parse set and found."""
        self.lookup = self.phrases = self.vocabulary = self.typing_end = None
        self.found = self.wide = False
        self.typed = []

    def filters(self, parser: Any) -> list[tuple[Callable[..., Any], int]]:
        return [(self._widen, 105)]  # after fields (100), before multifield (110)

    def _widen(self, parser: Any, group: Any) -> Any:
        if self.lookup is None and self.vocabulary is None and self.typing_end is None:
            return group
        self._runs(group)
        for i, node in enumerate(group):
            if isinstance(node, Spelled):
                continue
            if isinstance(node, syntax.GroupNode):
                group[i] = self._widen(parser, node)
            elif _plain(node):
                group[i] = self._word(node)
        return group

    def _word(self, node: Any) -> Any:
        word = plain_word(node.text)
        if word is None:
            return node
        always: list[Any] = [node]
        if self.vocabulary is not None and isinstance(node, syntax.WordNode):
            always += [_placed(n, node) for n in self._compounds(word)]
        if (
            self.typing_end is not None
            and isinstance(node, syntax.WordNode)
            and node.endchar == self.typing_end
            and len(word) >= TYPED_PREFIX_FROM  # shorter: the word alone
            and re.fullmatch(r"\w+", word)
        ):
            start = typed_start(word)
            if start is not None:  # two letters: one term of the starts fields
                always.append(_placed(StartsNode(start), node))
            elif len(fold_term(word)) > START_LETTERS:  # through the vocabulary
                always.append(_placed(PrefixPlugin.PrefixNode(word), node))
                self.typed.append(fold_term(word))
        found = [] if self.lookup is None else other_spellings(word, self.lookup)
        if found:
            self.found = True
        spelled = [
            _placed(syntax.WordNode(a) if is_one_word(a) else PhrasePlugin.PhraseNode(a, 0), node)
            for a in found
        ]
        if len(always) == 1 and not spelled:
            return node
        return Spelled([*always, *spelled], switch=self, always=len(always))

    def _compounds(self, word: str) -> list[Any]:
        """The compound forms of a query word the corpus writes (see the class docs)."""
        vocabulary = self.vocabulary
        assert vocabulary is not None
        words = vocabulary.words()
        parts = [p for p in re.split(r"[-‐–]", word) if p]
        if len(parts) > 1:
            joined = "".join(parts)
            return [syntax.WordNode(joined)] if fold_term(joined) in words else []
        folded = fold_term(word)
        if len(folded) < 7 or not folded.isalpha():
            return []
        for cut in range(3, len(folded) - 2):
            head, tail = folded[:cut], folded[cut:]
            if head in words and tail in words:
                return [PhrasePlugin.PhraseNode(f"{head} {tail}", 0)]
        return []

    def _runs(self, group: Any) -> None:
        """Two or three plain words in a row: as the one word they make (cease fire:
        ceasefire) and, wide, as the name they spell in the other script (قاعدة الوطية)."""
        i = 0
        while i < len(group):
            run = [i]
            j = i + 1
            while j + 1 < len(group) and len(run) < 3:
                if not isinstance(group[j], syntax.Whitespace) or not _is_word(group[j + 1]):
                    break
                run.append(j + 1)
                j += 2
            if (
                len(run) < 2
                or not _is_word(group[i])
                or _operator_beside(group, run[-1], 1)
                or _operator_beside(group, i, -1)
            ):
                i += 1
                continue
            nodes = [group[k] for k in run]
            text = " ".join(n.text for n in nodes)
            always: list[str] = []
            if self.vocabulary is not None and len(nodes) == 2:
                joined = "".join(n.text for n in nodes)
                if fold_term(joined) in self.vocabulary.words():
                    always.append(joined)
            found = [] if self.phrases is None else other_spellings(text, self.phrases)
            if not always and not found:
                i += 1
                continue
            self.found = self.found or bool(found)
            inner = syntax.AndGroup([self._word(n) for n in nodes])
            others = [
                syntax.WordNode(a) if is_one_word(a) else PhrasePlugin.PhraseNode(a, 0)
                for a in [*always, *found]
            ]
            for other in others:
                other.set_range(nodes[0].startchar, nodes[-1].endchar)
            spelled = Spelled([inner, *others], switch=self, always=1 + len(always))
            group[run[0] : run[-1] + 1] = [spelled]
            i += 1


def _is_word(node: Any) -> bool:
    return isinstance(node, syntax.WordNode) and _plain(node) and plain_word(node.text) is not None


def _operator_beside(group: Any, at: int, step: int) -> bool:
    """Whether an operator stands next to the word at ``at`` (after it for ``step`` 1, before
    it for -1): it binds that word, not a run of words."""
    k = at + step
    while 0 <= k < len(group) and isinstance(group[k], syntax.Whitespace):
        k += step
    return 0 <= k < len(group) and isinstance(group[k], syntax.Operator)
