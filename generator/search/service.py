"""Pagefind's ``--service`` protocol (Stage 6, index): the extended binary from PyPI, driven
over its standard input and output."""

from __future__ import annotations

import base64
import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.errors import SearchIndexError
from generator.i18n import m

PAGEFIND_ENV = "PORTAL_PAGEFIND"
"""Override of the Pagefind binary's path (tests use it to prove a missing binary fails safely)."""


def pagefind_binary() -> Path:
    override = os.environ.get(PAGEFIND_ENV)
    if override:
        return Path(override)
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:
        raise SearchIndexError(
            m("Pagefind's extended binary is not installed (pip package pagefind[extended])")
        ) from exc
    return Path(get_executable())


class Service:
    """Pagefind's ``--service`` protocol: base64 JSON messages ended by ``,`` on stdin/stdout.

    Pagefind's own Python wrapper sleeps 0.1 s before reading each response (93 records took
    9.5 s; 200,000 would take hours), so we speak the protocol directly: one thread writes the
    requests while this one reads the answers, and neither pipe can fill up and deadlock.
    """

    def __init__(self, binary: Path) -> None:
        try:
            self.proc = subprocess.Popen(
                [str(binary), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise SearchIndexError(
                m("cannot run Pagefind ({binary}): {exc}", binary=binary, exc=exc)
            ) from exc
        self.next_id = 0
        self.buffer = b""

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        if self.proc.stderr:
            self.proc.stderr.close()

    def _send(self, payload: dict[str, Any]) -> None:
        self.next_id += 1
        message = {"message_id": self.next_id, "payload": payload}
        assert self.proc.stdin is not None
        self.proc.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")

    def _receive(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        while b"," not in self.buffer:
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise SearchIndexError(
                    m("Pagefind stopped unexpectedly: {strip}", strip=err.strip())
                )
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b",")
        payload: dict[str, Any] = json.loads(base64.b64decode(message))["payload"]
        if payload.get("type") == "Error":
            raise SearchIndexError(m("Pagefind failed: {get}", get=payload.get("message")))
        return payload

    def call(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._send(payload)
        assert self.proc.stdin is not None
        self.proc.stdin.flush()
        return self._receive()

    def stream(self, payloads: Iterable[dict[str, Any]]) -> int:
        """Send many requests while reading their answers; returns how many were answered.

        ``payloads`` may be slow to come (a build feeds records as it renders pages), so the
        reader waits for each request to be sent before it waits for its answer."""
        events: queue.SimpleQueue[bool] = queue.SimpleQueue()  # True: one sent; False: the end
        failure: list[BaseException] = []

        def write() -> None:
            try:
                for payload in payloads:
                    self._send(payload)
                    assert self.proc.stdin is not None
                    self.proc.stdin.flush()
                    events.put(True)
            except BaseException as exc:  # surfaced below, after the reader stops
                failure.append(exc)
            finally:
                events.put(False)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answered = 0
        while events.get():
            self._receive()
            answered += 1
        writer.join()
        if failure:
            raise SearchIndexError(
                m("cannot send records to Pagefind: {failure}", failure=failure[0])
            )
        return answered
