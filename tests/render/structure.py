"""Helpers the tagged-PDF tests share: walking a structure tree with pikepdf."""

from __future__ import annotations

import pikepdf


def elements(node: object, kind: str, found: list[pikepdf.Dictionary]) -> None:
    """Every structure element of type ``kind`` (``"/P"``) under ``node``, in order, into ``found``."""
    if isinstance(node, pikepdf.Array):
        for kid in node:
            elements(kid, kind, found)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        if str(node.S) == kind:
            found.append(node)
        if "/K" in node:
            elements(node.K, kind, found)
