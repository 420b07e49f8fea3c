"""并单 and knowledge search over segmented words: content words, Jaccard similarity, query coverage.

The words come from a segmenter (jieba, in the adapters); here they are plain strings. Jaccard similarity
|A ∩ B| / |A ∪ B| over the sets of content words is the standard set measure; a new request matching an
open one of the same category and region at or above the threshold (a setting) is proposed for merging.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Candidate", "content_words", "jaccard", "merge_candidates", "rank"]

#: Function words and call phrases that say nothing about the matter (常用停用词, a short list on purpose).
_STOP = (
    "的 了 吗 呢 吧 啊 呀 是 在 有 和 与 及 或 我 我们 你 你们 他 她 它 这 那 这个 那个 想 要 请 请问 "
    "怎么 怎样 如何 什么 哪里 哪些 可以 能 能否 需要 一下 一个 还 也 就 都 又 对 给 让 被 把 问 咨询 "
    "反映 希望 您好 你好 谢谢"
)
STOP_WORDS = frozenset(_STOP.split(" "))


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    score: float


def content_words(words: Iterable[str]) -> frozenset[str]:
    """The words that carry meaning: no stop words, no punctuation or whitespace, lower-cased."""
    kept = (w.strip().lower() for w in words)
    return frozenset(w for w in kept if w and w not in STOP_WORDS and any(c.isalnum() for c in w))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 when both are empty."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def merge_candidates(
    words: frozenset[str], open_requests: Sequence[tuple[str, frozenset[str]]], *, threshold: float
) -> list[Candidate]:
    """Open requests (id, words) at least ``threshold`` similar to ``words``, most similar first."""
    scored = [Candidate(rid, round(jaccard(words, other), 4)) for rid, other in open_requests]
    return sorted((c for c in scored if c.score >= threshold), key=lambda c: (-c.score, c.id))


def rank(
    query: frozenset[str], entries: Sequence[tuple[str, frozenset[str]]], *, limit: int
) -> list[Candidate]:
    """Knowledge entries by the share of the query's words they contain (ties: Jaccard, then id)."""
    if not query:
        return []
    scored = [
        (len(query & words) / len(query), jaccard(query, words), entry_id) for entry_id, words in entries
    ]
    best = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], -s[1], s[2]))[:limit]
    return [Candidate(entry_id, round(coverage, 4)) for coverage, _, entry_id in best]
