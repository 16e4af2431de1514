"""Type-ahead: keys typed faster than the app reacts reach the screen that will have focus, in order.

Textual hands a key to the focused widget at once, but the binding it triggers runs only
after the key has bubbled back up to the app; a key that opens a screen (``n``, ``t``,
``e``) therefore lets the keys typed right after it go to the old screen (``n check this``
typed quickly put "check this" into the article, where ``e`` opened the export dialog),
and keys pressed while the reader starts were dropped. So the app holds a key while the
one before it is still being handled (a message queue on the key's way, from the focused
widget up to the app, is not empty) or
while the screen on top is not ready for keys yet (not mounted, nothing focused yet, or a
screen's own ``takes_keys`` is False), and hands the held keys on, one at a time, once it
is. When nothing is pending, a key goes straight through: no latency is added.
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic
from typing import TYPE_CHECKING
from weakref import WeakSet

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

# Keys that must act even while the app is busy (Textual's own quit bindings).
BYPASS = frozenset({"ctrl+c", "ctrl+q"})
POLL_SECONDS = 0.002
# A screen that never becomes ready (a lock held by another program, a bug) must not eat
# the keyboard: after waiting this long for its turn, a held key is handed on as it is.
MAX_HOLD_SECONDS = 10.0


def queue_idle(pump, own: int = 0) -> bool:
    """True when ``pump`` has handled every message posted to it (``own``: messages it is
    handling right now, which do not count) and has no callbacks waiting."""
    queue = pump._message_queue
    unfinished = getattr(queue, "_unfinished_tasks", None)
    if unfinished is None:  # another asyncio: fall back on what is still queued
        unfinished = queue.qsize() + own
    return unfinished <= own and not pump._next_callbacks


class KeyQueue:
    """Holds the app's key events while it is busy, and replays them in order."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.pending: deque[events.Key] = deque()
        self.released: events.Key | None = None
        self.task: asyncio.Task | None = None
        self.ready_screens: WeakSet[Screen] = WeakSet()

    def hold(self, event: events.Key) -> bool:
        """Called by the app for every key from the terminal: True when the key is held
        (to be posted again later), False when the app should handle it now."""
        if event is self.released:
            self.released = None
            return False
        if event.key in BYPASS:
            return False
        if not self.pending and self.settled(own=1):
            return False
        self.pending.append(event)
        if self.task is None:
            self.task = asyncio.create_task(self.deliver())
        return True

    def settled(self, own: int = 0) -> bool:
        """The keys before are handled and the screen on top takes keys. Only the key's
        path counts (the app, the screen, the focused widget and its ancestors): work
        elsewhere (the footer re-mounting its keys, a list refilling) never delays a key.
        ``own``: the app is handling this many messages right now (the key being decided on)."""
        app = self.app
        if not queue_idle(app, own):
            return False
        if not self.screen_takes_keys():
            return False
        screen = app.screen
        node = screen.focused
        while node is not None and node is not app:
            if not queue_idle(node):
                return False
            node = node._parent
        return queue_idle(screen)

    def screen_takes_keys(self) -> bool:
        try:
            screen = self.app.screen
        except Exception:  # noqa: BLE001 - no screen yet
            return False
        if screen in self.ready_screens:
            return True
        takes_keys = getattr(screen, "takes_keys", None)
        if takes_keys is not None:
            ready = bool(takes_keys) and screen.is_mounted
        else:
            # A new screen is ready once mounted and its first focus is set (when it has
            # something to focus). Once ready it stays so: focus can be lost later.
            ready = screen.is_mounted and (screen.focused is not None or not screen.focus_chain)
        if ready:
            self.ready_screens.add(screen)
        return ready

    async def deliver(self) -> None:
        try:
            await self.deliver_pending()
        finally:
            self.task = None

    async def deliver_pending(self) -> None:
        if True:
            while self.pending:
                since = monotonic()
                while monotonic() - since < MAX_HOLD_SECONDS:
                    if self.settled():
                        # Settled twice in a row: a handler that awaits mid-way empties
                        # its queue for a moment without being done.
                        await asyncio.sleep(0)
                        if self.settled():
                            break
                    await asyncio.sleep(POLL_SECONDS)
                if not self.app.is_running:
                    self.pending.clear()
                    return
                event = self.pending.popleft()
                self.released = event
                self.app.post_message(event)
                await asyncio.sleep(0)
