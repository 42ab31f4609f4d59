"""HanTa's sentence tagging (`HanoverTagger.tag_sent(words, taglevel=0)`): the same tags with less work per word.

HanTa's Viterbi pass walks, for every word and every state it keeps, all ~56 tags its transition table lists,
and drops those the word cannot have: nearly all of them, since a word has one to six candidate tags. Here
the walk goes over the word's candidate tags only, in the table's order, so that every row of the Viterbi
table is filled in the order HanTa fills it (ties resolve the same way), with HanTa's arithmetic. A word's
candidate tags depend on the word and its case flag alone, so they are kept per word.

This needs every state's transitions listed in one order (true of HanTa's German model); a model without
that is tagged by HanTa itself. tests/test_facts.py checks the tags against HanTa's on the test articles.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

LOWER_BOUND = -1e6  # HanTa's floor for a path's log-probability
KEPT_STATES = 5  # HanTa goes on from the states within 1 of the sixth best
WORD_CACHE = 200_000  # words whose candidate tags are kept


class FastSentenceTagger:
    """`tag_sent(words)`: the tags `tagger.tag_sent(words, taglevel=0)` gives."""

    def __init__(self, tagger: Any) -> None:
        from HanTa.HanoverTagger import EMPTY, END, START, UNKNOWN

        self._tagger = tagger
        self._empty, self._end, self._start, self._unknown = EMPTY, END, START, UNKNOWN
        self._transitions: dict[Any, dict[int, float]] = tagger.LP_trans_word
        orders = {tuple(followers) for followers in self._transitions.values()}
        self._order = {tag: k for k, tag in enumerate(orders.pop())} if len(orders) == 1 else None
        # an unknown word may take any tag but the sentence end, at no cost
        self._any_tag = tuple((tag, 0) for tag in self._order or () if tag != END)
        self._steps = lru_cache(maxsize=WORD_CACHE)(self._word_steps)

    def tag_sent(self, words: list[str]) -> list[str]:
        if not words:
            return []
        if self._order is None:
            return self._tagger.tag_sent(words, taglevel=0)
        int2tag = self._tagger.int2tag
        return [int2tag[t] for t in self._viterbi(words)]

    def _word_steps(self, word: str, case_sensitive: bool) -> tuple[tuple[int, float], ...]:
        """(tag, log-probability) of each tag the word can have and the table can reach, in the table's order
        (the sentence end left out: it is no word's tag, only the last row reaches it)."""
        tags = dict(self._tagger._tag_word(word, cutoff=5, casesensitive=case_sensitive, conditional=True))
        if not tags or (len(tags) == 1 and self._unknown in tags):
            return self._any_tag
        reachable = [tag for tag in tags if tag in self._order and tag != self._end]
        return tuple((tag, tags[tag]) for tag in sorted(reachable, key=self._order.__getitem__))

    def _viterbi(self, words: list[str]) -> list[int]:
        table: list[dict[Any, float]] = []
        backpointer: list[dict[Any, Any]] = []
        for i, word in enumerate(words):
            steps = self._steps(word, i > 0)
            prevrow = table[i - 1] if i else {(self._empty, self._start): 0.0}
            rowbound = LOWER_BOUND
            if len(prevrow) > KEPT_STATES:
                rowbound = sorted(prevrow.values(), reverse=True)[KEPT_STATES] - 1
            row: dict[Any, float] = {}
            back: dict[Any, Any] = {}
            for state, lp0 in prevrow.items():
                if lp0 < rowbound:
                    continue
                transitions = self._transitions[state]
                for c, lpwc in steps:
                    lp = lp0 + transitions[c] + lpwc
                    if lp > LOWER_BOUND:
                        newstate = (state[1], c)
                        if newstate not in row or lp > row[newstate]:
                            row[newstate] = lp
                            back[newstate] = state
            table.append(row)
            backpointer.append(back)
        return self._best_path(table[-1], backpointer)

    def _best_path(self, lastrow: dict[Any, float], backpointer: list[dict[Any, Any]]) -> list[int]:
        """The tags of the best path into the sentence end, read back along the backpointers."""
        finalstate = (self._end, self._empty)
        best = -float("inf")
        final: dict[Any, Any] = {}
        for state, lp0 in lastrow.items():
            lp = lp0 + self._transitions[state].get(self._end, -float("inf"))
            if lp > best:
                best = lp
                final[finalstate] = state
        backpointer = [*backpointer, final]
        tags = []
        state = finalstate
        for i in range(len(backpointer) - 1, 0, -1):
            state = backpointer[i][state]
            tags.append(state[1])
        return tags[::-1]
