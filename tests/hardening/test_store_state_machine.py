"""Issue 12, points 1 and 2, as a state machine: two running store instances and an article
that changes on disk between their steps.

The instances add, relabel and remove annotations, undo and redo, reopen (a restart:
the file is read again and registered), and a third party exports the file; between
steps the file is edited from outside (a line inserted on top, a word dropped, the text
restored). The model predicts each step: which entry an undo reverts (only the
instance's own, or one a closed instance left; never one whose annotation someone else
changed since), and what a registration moves. After every step every confirmed change
must be in the store and reachable from the file's current text, as ``annotate export``
would show it: anchored on the same quote, or an orphan keeping it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from annotations.document import load_document
from annotations.errors import StoreError
from annotations.model import new_annotation
from annotations.store import open_store

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
ORIGINAL = " ".join(WORDS[:5]) + ".\n" + " ".join(WORDS[5:]) + ".\n"
LABELS = ["PERSON", "ORG", "CLAIM"]


class Instance:
    def __init__(self, db: Path, article: Path) -> None:
        self.store = open_store(db)
        self.doc = load_document(article)
        self.store.register_document(self.doc)

    @property
    def session(self) -> str:
        return self.store.session


class TwoReaders(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="annotate-sm-"))
        self.db = self.folder / "annotations.json"
        self.article = self.folder / "article.txt"
        self.article.write_text(ORIGINAL, encoding="utf-8")
        # model: annotation id -> quote, label, doc sha of its record
        self.anns: dict[str, dict] = {}
        # model of the history entries: seq, session, sha, id, before/after state (None: absent), undone
        self.ops: list[dict] = []
        self.instances = [self._open(), self._open()]

    def teardown(self) -> None:
        for instance in self.instances:
            instance.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- model helpers

    def _open(self) -> Instance:
        instance = Instance(self.db, self.article)
        self._registered(instance.doc.sha256)
        return instance

    def _registered(self, sha: str) -> None:
        """A registration moves every annotation of the path onto ``sha`` and drops the
        history of the other texts (their offsets no longer apply)."""
        for ann in self.anns.values():
            ann["sha"] = sha
        self.ops = [op for op in self.ops if op["sha"] == sha]

    def _alive(self) -> set[str]:
        return {instance.session for instance in self.instances}

    def _owns(self, instance: Instance, session: str) -> bool:
        return session == instance.session or session not in self._alive()

    def _record(self, instance: Instance, sha: str, ann_id: str, before, after) -> None:
        self.ops = [
            op for op in self.ops
            if not (op["sha"] == sha and op["undone"] and self._owns(instance, op["session"]))
        ]
        seq = max((op["seq"] for op in self.ops if op["sha"] == sha), default=0) + 1
        self.ops.append({"seq": seq, "session": instance.session, "sha": sha, "id": ann_id,
                         "before": before, "after": after, "undone": False})

    def _set(self, ann_id: str, state: dict | None) -> None:
        if state is None:
            self.anns.pop(ann_id, None)
        else:
            self.anns[ann_id] = dict(state)

    def _visible(self, instance: Instance) -> list[str]:
        return sorted(i for i, ann in self.anns.items() if ann["sha"] == instance.doc.sha256)

    # -- rules

    @rule(which=st.integers(0, 1), word=st.sampled_from(WORDS), label=st.sampled_from(LABELS))
    def add(self, which, word, label):
        instance = self.instances[which]
        start = instance.doc.text.find(word)
        if start < 0:
            return
        ann = new_annotation(instance.doc, start, start + len(word), label=label)
        instance.store.add(ann)
        after = {"quote": word, "label": label, "sha": instance.doc.sha256}
        self._set(ann.id, after)
        self._record(instance, instance.doc.sha256, ann.id, None, after)

    @rule(which=st.integers(0, 1), pick=st.integers(0, 50), label=st.sampled_from(LABELS))
    def relabel(self, which, pick, label):
        instance = self.instances[which]
        visible = self._visible(instance)
        if not visible:
            return
        ann_id = visible[pick % len(visible)]
        old = dict(self.anns[ann_id])
        if old["label"] == label:
            return
        instance.store.update(ann_id, label=label)
        after = {**old, "label": label}
        self._record(instance, old["sha"], ann_id, old, after)
        self._set(ann_id, after)

    @rule(which=st.integers(0, 1), pick=st.integers(0, 50))
    def remove(self, which, pick):
        instance = self.instances[which]
        visible = self._visible(instance)
        if not visible:
            return
        ann_id = visible[pick % len(visible)]
        old = dict(self.anns[ann_id])
        instance.store.remove(ann_id)
        self._record(instance, old["sha"], ann_id, old, None)
        self._set(ann_id, None)

    @rule(which=st.integers(0, 1), pick=st.integers(0, 50), word=st.sampled_from(WORDS))
    def move_span(self, which, pick, word):
        """Move an annotation onto another word of the instance's text, as the boundary
        keys do; the annotation may be one the instance's screen still shows though
        another instance moved it onto a newer text meanwhile (any annotation here)."""
        instance = self.instances[which]
        if not self.anns:
            return
        ann_id = sorted(self.anns)[pick % len(self.anns)]
        start = instance.doc.text.find(word)
        if start < 0:
            return
        current = instance.store.get(ann_id)
        if current.doc_sha == instance.doc.sha256 and (current.start, current.end) == (start, start + len(word)):
            return  # no change: no history entry
        instance.store.update(ann_id, start=start, end=start + len(word), text_source=instance.doc.text)
        old = dict(self.anns[ann_id])
        after = {**old, "quote": word, "sha": instance.doc.sha256}
        self._record(instance, instance.doc.sha256, ann_id, old, after)
        self._set(ann_id, after)

    def _step(self, instance: Instance, undo: bool) -> None:
        sha = instance.doc.sha256
        mine = [op for op in self.ops
                if op["sha"] == sha and op["undone"] != undo and self._owns(instance, op["session"])]
        step = instance.store.undo if undo else instance.store.redo
        if not mine:
            assert step(sha) is None
            return
        op = (max if undo else min)(mine, key=lambda item: item["seq"])
        conflict = any(later["seq"] > op["seq"] and not later["undone"] and later["id"] == op["id"]
                       for later in self.ops if later["sha"] == sha)
        if conflict:
            with pytest.raises(StoreError, match="another reader"):
                step(sha)
            return
        assert step(sha) is not None
        op["undone"] = undo
        self._set(op["id"], op["before"] if undo else op["after"])

    @rule(which=st.integers(0, 1))
    def undo(self, which):
        self._step(self.instances[which], undo=True)

    @rule(which=st.integers(0, 1))
    def redo(self, which):
        self._step(self.instances[which], undo=False)

    @rule(which=st.integers(0, 1))
    def reopen(self, which):
        self.instances[which].store.close()
        self.instances[which] = self._open()

    @rule()
    def export(self):
        """``annotate export`` of the file: registers its current text (as the CLI does)."""
        other = open_store(self.db)
        try:
            document = load_document(self.article)
            other.annotations_for(document)
            if other.document(document.sha256) is not None:
                self._registered(document.sha256)
        finally:
            other.close()

    @rule(kind=st.sampled_from(["insert line", "drop word", "restore"]), pick=st.integers(0, 50))
    def external_edit(self, kind, pick):
        text = self.article.read_text(encoding="utf-8")
        if kind == "insert line":
            text = f"Line {pick} added on top.\n" + text
        elif kind == "drop word":
            present = [word for word in WORDS if word in text]
            if present:
                text = text.replace(present[pick % len(present)], "", 1)
        else:
            text = ORIGINAL
        self.article.write_text(text, encoding="utf-8")

    # -- the promise

    @invariant()
    def every_confirmed_change_is_reachable_from_the_current_text(self):
        reader = open_store(self.db)
        try:
            document = load_document(self.article)
            found = {a.id: a for a in reader.annotations_for(document, save=False)}
        finally:
            reader.close()
        assert set(found) == set(self.anns)
        for ann_id, expected in self.anns.items():
            ann = found[ann_id]
            assert ann.label == expected["label"]
            if ann.orphan:
                assert ann.text == expected["quote"]
            else:
                assert document.text[ann.start:ann.end] == ann.text == expected["quote"]


TwoReaders.TestCase.settings = settings(
    max_examples=25, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_two_readers_and_a_changing_file = TwoReaders.TestCase
