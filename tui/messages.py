"""Every message the app's widgets and workers post, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class AnalysisProgress(Message):
    """The analysis worker finished a share of the text (0..1)."""

    fraction: float

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, AnalysisProgress)


@dataclass
class EntitiesFound(Message):
    """Entities found so far while a long article is being analysed."""

    entities: list[dict]

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, EntitiesFound)


@dataclass
class AnalysisReady(Message):
    """The analysis (contract JSON) is available; ``from_cache`` when spaCy was not needed."""

    analysis: dict
    from_cache: bool


@dataclass
class AnalysisFailed(Message):
    reason: str


@dataclass
class PanelItemChosen(Message):
    """An item of the side panel was highlighted (``jump`` False) or picked with enter (``jump`` True)."""

    start: int
    end: int
    key: str
    jump: bool
