"""Typed models of a screen layout's ``digital:`` block: alt text, link, posts, byte budget.

Screen layouts (``kind: banner`` or ``kind: social``) are measured in ``px``
and written as images; what goes beside each image (its alternative text,
where a banner links to, the posts to share it with) is named here by copy
keys, so the words stay in the copy files.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from packgen.model.common import Model

SCREEN_KINDS = ("banner", "social")  # layout kinds made as images, by the screen profile
MAX_ALT = 250  # characters of alternative text, at most


class Post(Model):
    """A post to share an image with: its copy, platform and that platform's limit."""

    platform: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
    copy_key: str = Field(alias="copy")
    limit: Annotated[int, Field(ge=1)]
    counting: Literal["plain", "x"] = "plain"


class Digital(Model):
    """What a screen image carries beside its pixels."""

    alt: str  # copy key: what the image shows, for people who cannot see it
    link: str | None = None  # a campaign link name: where the image (a banner) points
    posts: list[Post] = []
    max_bytes: Annotated[int, Field(ge=1000)] | None = None  # the file's budget
