r"""SoMaJo tokenizers, made once per language and mode, with two of SoMaJo's per-token passes short-cut.

SoMaJo looks for emoji by walking every grapheme cluster of every token and running an uncompiled Unicode-property
search on each: about half of its tokenising time on news text, which has no emoji at all. Before that walk, one
compiled search over the token's text for the characters it looks for tells whether there is anything to find;
only when there is does SoMaJo's own pass run. The tokens are exactly SoMaJo's (tests/test_split.py checks it
against an unchanged SoMaJo on text with and without emoji).

SoMaJo also runs ~90 patterns over every token of a paragraph, one `_split_matches` call each, which sets up
group numbers, a match iterator and a boundary list before it finds that nothing matches (nearly always).
One compiled `search` first answers that; when it finds nothing, SoMaJo's own code would split nothing either
(no match, no boundaries, the token is left as it is), so it is not called.

Finding character offsets, SoMaJo's alignment calls `regex.sub(r"\s", " ", text)` for every token: each call
looks the pattern up in regex's cache (~8 us, more than the substitution). Its module's `regex` is given a
stand-in whose `sub` does the same substitution with the pattern compiled once; everything else is regex's.
Together the two save about a quarter of splitting time on news text.
"""

from __future__ import annotations

from functools import lru_cache
from types import MethodType
from typing import Any

SOMAJO_MODELS = {"de": "de_CMC", "en": "en_PTB"}
# Every character SoMaJo's `Tokenizer._split_emojis` can find in a grapheme cluster (somajo 2.x).
EMOJI_CHARACTERS = r"[\p{Extended_Pictographic}\p{Emoji_Presentation}\uFE0F]"


class _CompiledWhitespaceSub:
    r"""The `regex` module, except that `sub(r"\s", " ", text)` uses a pattern compiled once (same result)."""

    def __init__(self, regex: Any) -> None:
        self._regex = regex
        self._whitespace = regex.compile(r"\s").sub

    def __getattr__(self, name: str) -> Any:
        return getattr(self._regex, name)

    def sub(self, pattern: Any, repl: Any, string: Any, *args: Any, **kwargs: Any) -> Any:
        if pattern == r"\s" and repl == " " and not args and not kwargs and isinstance(string, str):
            return self._whitespace(" ", string)
        return self._regex.sub(pattern, repl, string, *args, **kwargs)


def _fast_alignment() -> None:
    try:
        from somajo import alignment
    except ImportError:  # another SoMaJo layout: leave it as it is
        return
    if getattr(alignment, "re", None) is not None and not isinstance(alignment.re, _CompiledWhitespaceSub):
        alignment.re = _CompiledWhitespaceSub(alignment.re)


@lru_cache(maxsize=4)
def somajo(language: str, *, split_sentences: bool) -> Any:
    """A SoMaJo tokenizer with character offsets for `language` ("de" or else English)."""
    import regex
    from somajo import SoMaJo

    tokenizer = SoMaJo(SOMAJO_MODELS.get(language, "en_PTB"), split_sentences=split_sentences,
                       character_offsets=True)
    _fast_alignment()
    inner = getattr(tokenizer, "_tokenizer", None)
    original = getattr(inner, "_split_emojis", None)
    if original is None:  # another SoMaJo layout: leave it as it is
        return tokenizer
    has_emoji = regex.compile(EMOJI_CHARACTERS).search

    def split_emojis(self: Any, node: Any, token_class: str = "emoticon") -> None:
        if has_emoji(node.value.text) is not None:
            original(node, token_class)

    inner._split_emojis = MethodType(split_emojis, inner)

    split_matches = getattr(inner, "_split_matches", None)
    if split_matches is not None:

        def guarded_split_matches(self: Any, regex: Any, node: Any, *args: Any, **kwargs: Any) -> None:
            if regex.search(node.value.text) is not None:
                split_matches(regex, node, *args, **kwargs)

        inner._split_matches = MethodType(guarded_split_matches, inner)
    return tokenizer
