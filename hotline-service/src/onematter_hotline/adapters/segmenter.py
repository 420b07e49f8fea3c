"""Chinese word segmentation with jieba (search mode), behind a small interface the tests can fake.

jieba loads its dictionary once per process on first use (about a second); :meth:`JiebaSegmenter.warm_up`
does it at start-up so the first call an operator takes is not the slow one.
"""

from __future__ import annotations

import logging
from typing import Protocol

import jieba

__all__ = ["JiebaSegmenter", "Segmenter"]

jieba.setLogLevel(logging.WARNING)


class Segmenter(Protocol):
    def words(self, text: str) -> list[str]: ...


class JiebaSegmenter:
    def words(self, text: str) -> list[str]:
        """The words of ``text`` in jieba's search mode (long words also yield their parts)."""
        return list(jieba.lcut_for_search(text))

    def warm_up(self) -> None:
        jieba.initialize()
