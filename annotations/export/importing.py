"""Import of annotate ``json`` exports and W3C Web Annotations, all or nothing.

Steps, none of which writes until the last:

1. read and parse the file, check its shape (a bad file raises ImportFileError naming
   the file, the annotation and the problem);
2. when the file says it was made on this very text (same sha256), its spans must be
   inside the text and agree with their quotes; otherwise each annotation is anchored
   (position, else the quote with its context, else an approximate match);
3. if any cannot be placed, nothing is imported and they are listed, unless
   ``keep_orphans`` imports them as orphans;
4. annotations already in the store are skipped (by id; W3C annotations without an id
   by span, label and note), so importing a file twice adds nothing;
5. one store write (one undo step) adds the rest.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from annotations.anchoring import anchor
from annotations.document import DocumentError, read_capped
from annotations.export.errors import ImportFileError
from annotations.model import Annotation, new_id, now_iso, quote_context

OWN_SCHEMA = "annotate.export/1"
URN_UUID = re.compile(r"^urn:uuid:([0-9a-fA-F-]{36})$")
URN_SHA = re.compile(r"^urn:sha256:([0-9a-f]{64})$")
HEX_ID = re.compile(r"^[0-9a-f]{32}$")
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/annotate/annotate")
NOTE_PURPOSES = {"commenting", "describing", "assessing", "editing", "questioning", "replying", "classifying"}


@dataclass
class Candidate:
    """One annotation read from the file, before anchoring."""

    number: int  # 1-based position in the file, for messages
    id: str | None
    start: int | None
    end: int | None
    exact: str
    prefix: str
    suffix: str
    label: str | None
    note: str
    origin: str
    creator: str | None
    created: str | None
    modified: str | None
    strict: bool  # made on this very text: the span must agree with the quote

    def name(self) -> str:
        quote = " ".join(self.exact.split())
        quote = quote if len(quote) <= 40 else quote[:39] + "…"
        return f"#{self.number} '{quote}'"


@dataclass
class ImportReport:
    source: str
    document: str
    added: int = 0
    already_present: int = 0
    relocated: int = 0
    orphans: int = 0
    annotations: list[Annotation] = field(default_factory=list)

    def summary(self) -> str:
        details = [f"{self.already_present} already present"]
        if self.relocated:
            details.append(f"{self.relocated} placed by their quote")
        if self.orphans:
            details.append(f"{self.orphans} as orphans")
        return (
            f"Imported {self.added} annotation(s) from {self.source} into {self.document} ({', '.join(details)})."
        )


# ---------------------------------------------------------------------------
# reading


def _fail(source: str, problem: str) -> ImportFileError:
    return ImportFileError(f"{source}: {problem}; nothing was imported")


def read_json(source: str) -> object:
    try:
        with open(source, "rb") as handle:
            raw = read_capped(handle, source)
    except DocumentError as error:  # above the size limit, or binary
        raise _fail(source, error.reason) from None
    except FileNotFoundError:
        raise _fail(source, "no such file") from None
    except IsADirectoryError:
        raise _fail(source, "is a folder, not an export file") from None
    except OSError as error:
        raise _fail(source, f"cannot be read ({error.strerror or error})") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _fail(source, f"not UTF-8 text (undecodable byte at offset {error.start})") from None

    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not a JSON value")

    try:
        return json.loads(text, parse_constant=refuse)
    except RecursionError:
        raise _fail(source, "not usable JSON (nested too deeply)") from None
    except ValueError as error:
        raise _fail(source, f"not JSON ({error})") from None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _timestamp(value: object) -> str | None:
    """An RFC 3339 date-time string, or None (W3C requires the time zone)."""
    if not isinstance(value, str) or "T" not in value.upper():
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if parsed.tzinfo is not None else None


def _id_from_iri(value: str) -> str:
    """``urn:uuid:`` IRIs give our hex ids back; any other IRI a stable uuid5."""
    match = URN_UUID.match(value)
    if match:
        with_dashes = match.group(1)
        try:
            return uuid.UUID(with_dashes).hex
        except ValueError:
            pass
    if HEX_ID.match(value):
        return value
    return uuid.uuid5(ID_NAMESPACE, value).hex


def stored_id(value: str) -> str:
    """The id an annotation gets in the store: ours (32 hex digits) as is, any other a stable uuid5."""
    return value if HEX_ID.match(value) else uuid.uuid5(ID_NAMESPACE, value).hex


def parse_own(data: dict, source: str, document) -> list[Candidate]:
    doc_info = data.get("document")
    if not isinstance(doc_info, dict):
        raise _fail(source, "the 'document' entry is missing or not an object")
    strict = doc_info.get("sha256") == document.sha256
    items = data.get("annotations")
    if not isinstance(items, list):
        raise _fail(source, "'annotations' is missing or not a list")
    candidates = []
    for number, item in enumerate(items, 1):
        where = f"annotation #{number}"
        if not isinstance(item, dict):
            raise _fail(source, f"{where} is not an object")
        exact = item.get("text")
        if not isinstance(exact, str) or not exact:
            raise _fail(source, f"{where} has no quote ('text' must be a non-empty string)")
        start, end = item.get("start"), item.get("end")
        if (start is None) != (end is None) or not (start is None or (_is_int(start) and _is_int(end))):
            raise _fail(source, f"{where}: 'start' and 'end' must both be integers or both null")
        for key in ("prefix", "suffix", "note", "origin", "creator", "created", "modified"):
            if item.get(key) is not None and not isinstance(item[key], str):
                raise _fail(source, f"{where}: '{key}' must be a string")
        label = item.get("label")
        if label is not None and (not isinstance(label, str) or not label.strip()):
            raise _fail(source, f"{where}: 'label' must be a non-empty string or null")
        ident = item.get("id")
        if ident is not None and (not isinstance(ident, str) or not ident):
            raise _fail(source, f"{where}: 'id' must be a non-empty string")
        if item.get("orphan") is True:
            start = end = None
        candidates.append(
            Candidate(
                number=number,
                id=ident,
                start=start,
                end=end,
                exact=exact,
                prefix=item.get("prefix") or "",
                suffix=item.get("suffix") or "",
                label=label,
                note=item.get("note") or "",
                origin=item.get("origin") or "user",
                creator=item.get("creator"),
                created=_timestamp(item.get("created")),
                modified=_timestamp(item.get("modified")),
                strict=strict and start is not None,
            )
        )
    return candidates


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def w3c_items(data: object, source: str) -> list:
    """The annotations of a W3C file: one annotation, a list, a page or a collection."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise _fail(source, "neither an annotate export nor W3C Web Annotations (expected a JSON object or list)")
    types = [t for t in _as_list(data.get("type")) if isinstance(t, str)]
    if "AnnotationCollection" in types or "first" in data:
        items = []
        page = data.get("first")
        seen = 0
        while isinstance(page, dict) and seen < 10_000:
            seen += 1
            if not isinstance(page.get("items", []), list):
                raise _fail(source, "an AnnotationPage's 'items' is not a list")
            items += page.get("items", [])
            page = page.get("next")
        if isinstance(page, str):
            raise _fail(source, f"the collection links to a page that is not in the file ({page}); embed every page")
        if isinstance(data.get("items"), list):
            items += data["items"]
        return items
    if "AnnotationPage" in types or isinstance(data.get("items"), list):
        if not isinstance(data.get("items"), list):
            raise _fail(source, "the AnnotationPage has no 'items' list")
        return data["items"]
    if "Annotation" in types or "target" in data:
        return [data]
    raise _fail(source, "neither an annotate export (schema annotate.export/1) nor W3C Web Annotations")


def _agent_name(value: object) -> str | None:
    for agent in _as_list(value):
        if isinstance(agent, str):
            return agent
        if isinstance(agent, dict):
            for key in ("nickname", "name", "id"):
                name = agent.get(key)
                if isinstance(name, str) and name:
                    return name
    return None


def _purposes(value: object) -> set[str]:
    return {p for p in _as_list(value) if isinstance(p, str)}


def parse_w3c_annotation(item: object, number: int, source: str, document) -> Candidate:
    where = f"annotation #{number}"
    if not isinstance(item, dict):
        raise _fail(source, f"{where} is not an object")
    ident = item.get("id")
    if isinstance(ident, list) and len(ident) == 1:
        ident = ident[0]
    if ident is not None and not isinstance(ident, str):
        raise _fail(source, f"{where}: 'id' must be a string")
    motivations = _purposes(item.get("motivation"))
    # target: the first one with text selectors
    quote = position = None
    strict = False
    targets = _as_list(item.get("target"))
    if not targets:
        raise _fail(source, f"{where} has no target")
    for target in targets:
        if not isinstance(target, dict):
            continue
        for selector in _as_list(target.get("selector")):
            if not isinstance(selector, dict):
                continue
            kind = selector.get("type")
            if kind == "TextQuoteSelector" and quote is None:
                quote = selector
            elif kind == "TextPositionSelector" and position is None:
                position = selector
        if quote is not None or position is not None:
            source_iri = target.get("source")
            match = URN_SHA.match(source_iri) if isinstance(source_iri, str) else None
            strict = bool(match) and match.group(1) == document.sha256
            break
    if quote is None and position is None:
        raise _fail(source, f"{where} has no TextQuoteSelector or TextPositionSelector on its target")
    start = end = None
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not (_is_int(start) and _is_int(end)) or start < 0 or end < start:
            raise _fail(source, f"{where}: TextPositionSelector start/end must be integers with 0 <= start <= end")
    if quote is not None:
        exact = quote.get("exact")
        if not isinstance(exact, str) or not exact:
            raise _fail(source, f"{where}: TextQuoteSelector 'exact' must be a non-empty string")
        prefix, suffix = quote.get("prefix") or "", quote.get("suffix") or ""
        if not isinstance(prefix, str) or not isinstance(suffix, str):
            raise _fail(source, f"{where}: TextQuoteSelector prefix/suffix must be strings")
    else:
        # Only a position: nothing to re-anchor with, so it must fit this text.
        if end > len(document.text) or start == end:
            raise _fail(
                source, f"{where}: span {start}..{end} is out of range for {document.path} ({len(document.text)} characters)"
            )
        exact = document.text[start:end]
        prefix, suffix = quote_context(document.text, start, end)
        strict = True
    tags: list[str] = []
    notes: list[str] = []
    tagging = "tagging" in motivations
    bodies = _as_list(item.get("body"))
    if isinstance(item.get("bodyValue"), str):
        notes.append(item["bodyValue"])
    for body in bodies:
        if isinstance(body, str):
            (tags if tagging else notes).append(body)
            continue
        if not isinstance(body, dict):
            raise _fail(source, f"{where}: a body is neither a string nor an object")
        value = body.get("value")
        if value is None and "items" in body:  # a Choice: take its first option
            options = [o for o in _as_list(body.get("items")) if isinstance(o, dict)]
            value = options[0].get("value") if options else None
        if not isinstance(value, str):
            value = body.get("id") if isinstance(body.get("id"), str) else None
        if value is None:
            continue
        purposes = _purposes(body.get("purpose"))
        if "tagging" in purposes or (not purposes and tagging and not notes and not tags and len(bodies) == 1):
            tags.append(value)
        else:
            notes.append(value)
    label = tags[0].strip() if tags and tags[0].strip() else None
    if len(tags) > 1:
        notes.append("tags: " + ", ".join(tags[1:]))
    generator = _agent_name(item.get("generator"))
    origin = "user"
    if generator and generator.startswith("annotate") and "(" in generator:
        inner = generator[generator.rfind("(") + 1 : generator.rfind(")")]
        if inner.startswith("suggestion:"):
            origin = inner  # our own export of an accepted suggestion
        elif " analysis (" in generator:
            # a machine suggestion exported with --include-suggestions: keep it marked
            kind = {"tagging": "entity", "assessing": "claim", "commenting": "note"}
            origin = "suggestion:" + next((kind[m] for m in kind if m in motivations), "import")
    return Candidate(
        number=number,
        id=_id_from_iri(ident) if ident else None,
        start=start,
        end=end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        label=label,
        note="\n\n".join(n for n in notes if n),
        origin=origin,
        creator=_agent_name(item.get("creator")),
        created=_timestamp(item.get("created")),
        modified=_timestamp(item.get("modified")),
        strict=strict and position is not None,
    )


def parse_candidates(data: object, source: str, document) -> tuple[list[Candidate], str]:
    if isinstance(data, dict) and data.get("schema") == OWN_SCHEMA:
        return parse_own(data, source, document), "json"
    if isinstance(data, dict) and isinstance(data.get("schema"), str) and "annotations" in data:
        raise _fail(source, f"unknown export schema {data['schema']!r} (this annotate reads {OWN_SCHEMA})")
    items = w3c_items(data, source)
    return [parse_w3c_annotation(item, n, source, document) for n, item in enumerate(items, 1)], "w3c"


# ---------------------------------------------------------------------------
# anchoring and saving


def _check_strict(candidate: Candidate, document, source: str) -> None:
    """A span made on this very text must be inside it and match its quote."""
    text = document.text
    where = f"annotation {candidate.name()}"
    if not 0 <= candidate.start < candidate.end <= len(text):
        raise _fail(
            source,
            f"{where}: span {candidate.start}..{candidate.end} is out of range for {document.path} "
            f"({len(text)} characters)",
        )
    found = text[candidate.start : candidate.end]
    if found != candidate.exact:
        shown = " ".join(found.split())[:40]
        raise _fail(
            source,
            f"{where}: its text does not match {document.path} at {candidate.start}..{candidate.end} "
            f"(the document has '{shown}' there)",
        )


def import_annotations(store, document, source_path, keep_orphans: bool = False) -> ImportReport:
    """Import a json or W3C file into ``store`` for ``document``; see the module docstring."""
    source = os.fspath(source_path)
    data = read_json(source)
    candidates, _fmt = parse_candidates(data, source, document)
    seen_ids: dict[str, str] = {}  # the id as stored -> the id as written in the file
    for candidate in candidates:
        if candidate.id is not None:
            stored = stored_id(candidate.id)
            if stored in seen_ids:
                written = seen_ids[stored]
                same = "appears twice in the file" if written == candidate.id else f"is the same as {written} once stored"
                raise _fail(source, f"annotation {candidate.name()}: its id {candidate.id} {same}; nothing was imported")
            seen_ids[stored] = candidate.id
        if candidate.strict:
            _check_strict(candidate, document, source)

    placed: list[tuple[Candidate, int, int]] = []
    unplaced: list[Candidate] = []
    for candidate in candidates:
        found = anchor(document.text, candidate.start, candidate.end, candidate.exact, candidate.prefix, candidate.suffix)
        if found is None:
            unplaced.append(candidate)
        else:
            placed.append((candidate, *found))
    if unplaced and not keep_orphans:
        names = ", ".join(c.name() for c in unplaced[:10]) + (" ..." if len(unplaced) > 10 else "")
        raise ImportFileError(
            f"{source}: {len(unplaced)} annotation(s) cannot be placed in {document.path}: {names}; "
            "nothing was imported (--keep-orphans imports them as orphans)"
        )

    if store.document(document.sha256) is None:
        store.register_document(document)  # also moves a changed file's annotations here
    existing = store.annotations(document.sha256)
    existing_ids = {a.id for a in existing}
    existing_keys = {(a.start, a.end, a.label, a.note) for a in existing if a.placed}
    existing_orphan_keys = {(a.text, a.label, a.note) for a in existing if not a.placed}
    report = ImportReport(source=source, document=document.path)
    new: list[Annotation] = []

    def resolve_id(candidate: Candidate) -> str | None:
        """The id to store; None when the annotation is already there."""
        if candidate.id is None:
            return new_id()
        own = stored_id(candidate.id)
        if own in existing_ids:
            return None
        other = store.get(own)
        if other is not None and other.doc_sha != document.sha256:
            # The same id belongs to another document's annotation: derive a stable one.
            own = uuid.uuid5(ID_NAMESPACE, f"{own}:{document.sha256}").hex
            if own in existing_ids:
                return None
        return own

    now = now_iso()
    for candidate, start, end in placed:
        if candidate.id is None and (start, end, candidate.label, candidate.note) in existing_keys:
            report.already_present += 1
            continue
        ident = resolve_id(candidate)
        if ident is None:
            report.already_present += 1
            continue
        prefix, suffix = quote_context(document.text, start, end)
        if (start, end) != (candidate.start, candidate.end):
            report.relocated += 1
        new.append(_annotation(candidate, ident, document, start, end, document.text[start:end], prefix, suffix, now))
        existing_keys.add((start, end, candidate.label, candidate.note))
    for candidate in unplaced:
        if candidate.id is None and (candidate.exact, candidate.label, candidate.note) in existing_orphan_keys:
            report.already_present += 1
            continue
        ident = resolve_id(candidate)
        if ident is None:
            report.already_present += 1
            continue
        report.orphans += 1
        orphan = _annotation(candidate, ident, document, None, None, candidate.exact, candidate.prefix, candidate.suffix, now)
        orphan.orphan = True
        new.append(orphan)
    if new:
        store.add_many(new, description=f"import {len(new)} annotation(s) from {os.path.basename(source)}")
    report.added = len(new)
    report.annotations = new
    return report


def _annotation(candidate: Candidate, ident: str, document, start, end, exact, prefix, suffix, now: str) -> Annotation:
    created = candidate.created or now
    annotation = Annotation(
        id=ident,
        doc_sha=document.sha256,
        start=start,
        end=end,
        text=exact,
        prefix=prefix,
        suffix=suffix,
        label=candidate.label,
        note=candidate.note,
        origin=candidate.origin,
        created=created,
        modified=candidate.modified or created,
    )
    if candidate.creator:
        annotation.creator = candidate.creator
    return annotation
