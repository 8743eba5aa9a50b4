"""Splitting the page's space-joined ``Onderwerpen`` back into taxonomy labels."""
from __future__ import annotations

import re
from collections.abc import Iterable

_PUNCTUATION = re.compile(r"[^\w\s'-]+")


def normalise_label(label: str) -> str:
    """Lower case, punctuation dropped, spaces folded: the form the page prints labels in."""
    return " ".join(_PUNCTUATION.sub(" ", label.lower()).split())


class TopicSegmenter:
    """Longest-match segmentation of a topic line against a set of labels.

    The page joins labels with spaces and labels contain spaces themselves, so the words are
    regrouped: at each position the longest label that still lets the rest be segmented wins.
    Words that fit no label are kept as one unknown label each run, so the caller can flag them.
    """

    def __init__(self, labels: Iterable[str]):
        self._labels = {normalise_label(label) for label in labels}
        self._longest = max((len(label.split()) for label in self._labels), default=1)

    def segment(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(labels in page order, the unknown ones among them)."""
        words = normalise_label(text).split()
        found = self._segment_all(words)
        if found is not None:
            return tuple(found), ()
        return self._segment_with_unknowns(words)

    def _segment_all(self, words: list[str]) -> list[str] | None:
        # Depth-first, longest label first; memoised on the start position.
        failed: set[int] = set()

        def walk(start: int) -> list[str] | None:
            if start == len(words):
                return []
            if start in failed:
                return None
            for end in range(min(len(words), start + self._longest), start, -1):
                candidate = " ".join(words[start:end])
                if candidate in self._labels:
                    rest = walk(end)
                    if rest is not None:
                        return [candidate, *rest]
            failed.add(start)
            return None

        return walk(0)

    def _segment_with_unknowns(self, words: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        labels: list[str] = []
        unknown: list[str] = []
        pending: list[str] = []
        position = 0
        while position < len(words):
            for end in range(min(len(words), position + self._longest), position, -1):
                candidate = " ".join(words[position:end])
                if candidate in self._labels:
                    break
            else:
                pending.append(words[position])
                position += 1
                continue
            if pending:
                labels.append(" ".join(pending))
                unknown.append(labels[-1])
                pending = []
            labels.append(candidate)
            position = end
        if pending:
            labels.append(" ".join(pending))
            unknown.append(labels[-1])
        return tuple(labels), tuple(unknown)
