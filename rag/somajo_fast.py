"""SoMaJo tokenizers, made once per language and mode, with the emoji pass skipped on text that has no emoji.

SoMaJo looks for emoji by walking every grapheme cluster of every token and running an uncompiled Unicode-property
search on each: about half of its tokenising time on news text, which has no emoji at all. Before that walk, one
compiled search over the token's text for the characters it looks for tells whether there is anything to find;
only when there is does SoMaJo's own pass run. The tokens are exactly SoMaJo's (tests/test_split.py checks it
against an unchanged SoMaJo on text with and without emoji).
"""

from __future__ import annotations

from functools import lru_cache
from types import MethodType
from typing import Any

SOMAJO_MODELS = {"de": "de_CMC", "en": "en_PTB"}
# Every character SoMaJo's `Tokenizer._split_emojis` can find in a grapheme cluster (somajo 2.x).
EMOJI_CHARACTERS = r"[\p{Extended_Pictographic}\p{Emoji_Presentation}\uFE0F]"


@lru_cache(maxsize=4)
def somajo(language: str, *, split_sentences: bool) -> Any:
    """A SoMaJo tokenizer with character offsets for `language` ("de" or else English)."""
    import regex
    from somajo import SoMaJo

    tokenizer = SoMaJo(SOMAJO_MODELS.get(language, "en_PTB"), split_sentences=split_sentences,
                       character_offsets=True)
    inner = getattr(tokenizer, "_tokenizer", None)
    original = getattr(inner, "_split_emojis", None)
    if original is None:  # another SoMaJo layout: leave it as it is
        return tokenizer
    has_emoji = regex.compile(EMOJI_CHARACTERS).search

    def split_emojis(self: Any, node: Any, token_class: str = "emoticon") -> None:
        if has_emoji(node.value.text) is not None:
            original(node, token_class)

    inner._split_emojis = MethodType(split_emojis, inner)
    return tokenizer
