"""Patches to pygls's protocol, and checks of request parameters: every request is answered.

pygls 2.1 drops a request whose parameters do not fit the schema, and every request after
``shutdown``, without a response, so a client waits forever; the LSP says to answer
InvalidParams (-32602) and InvalidRequest (-32600).
"""

from __future__ import annotations

import asyncio
import functools
import time
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol


class PaperProtocol(LanguageServerProtocol):
    """pygls's protocol, answering requests it would leave unanswered."""

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=types.ResponseError(
                    code=types.ErrorCodes.InvalidParams,
                    message=f"invalid parameters for {data.get('method')}"))
            return _Dropped()

    def handle_message(self, message):
        # When the user last did something: background work gives way (``indexing``).
        self._server.last_message = time.monotonic()  # type: ignore[attr-defined]
        if self._shutdown and getattr(message, "method", "exit") != "exit" \
                and getattr(message, "id", None) is not None:
            self._send_response(message.id, error=types.ResponseError(
                code=types.ErrorCodes.InvalidRequest, message="the server is shutting down"))
            return None
        return super().handle_message(message)


class _Dropped:
    """A message already answered; ``handle_message`` ignores it (its jsonrpc is not 2.0)."""

    jsonrpc = "dropped"


def _check(params, params_type: type) -> None:
    if not isinstance(params, params_type):
        raise JsonRpcInvalidParams(f"expected {params_type.__name__}")
    p = getattr(params, "position", None)
    if p is not None and (not isinstance(p.line, int) or not isinstance(p.character, int)
                          or p.line < 0 or p.character < 0):
        raise JsonRpcInvalidParams("a position has negative or non-integer numbers")


def checked(params_type: type):
    """Answer InvalidParams for parameters pygls let through unstructured or out of range.
    An async handler stays async (pygls tells them apart by the function itself)."""

    def wrap(fn):
        if asyncio.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_handler(ls, params):
                _check(params, params_type)
                return await fn(ls, params)

            return async_handler

        @functools.wraps(fn)
        def handler(ls, params):
            _check(params, params_type)
            return fn(ls, params)

        return handler

    return wrap


def custom_position(params) -> tuple[str, types.Position]:
    """The document and position of a paperls/* request (untyped: pygls leaves its params as
    attribute objects), or InvalidParams."""
    try:
        uri = params.textDocument.uri
        pos = types.Position(int(params.position.line), int(params.position.character))
    except (AttributeError, TypeError, ValueError) as err:
        raise JsonRpcInvalidParams("expected textDocument.uri and position") from err
    if not isinstance(uri, str) or pos.line < 0 or pos.character < 0:
        raise JsonRpcInvalidParams("a position has negative numbers")
    return uri, pos
