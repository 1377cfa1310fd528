"""Placed documents into output files: the writer registry, file names and manifest entries.

A writer turns one :class:`~packgen.layout.placed.PlacedDocument` into the
bytes of one file (PDF; PNG for one-page screen documents). Each profile
names its writer's ``format`` (the shipped profiles write PDF); adding a
format is one module with a ``write`` function and one entry in
:data:`WRITERS`. File names and manifest entries are made here, and
only here, so every caller names an output the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packgen.colour import Colour
from packgen.errors import allowed_hint, error
from packgen.layout.placed import PlacedDocument
from packgen.model.profiles import Profile
from packgen.render import pdf
from packgen.render.manifest import FileEntry, entry_for

WriteFunction = Callable[[PlacedDocument, dict[str, Colour]], bytes]


@dataclass(frozen=True)
class Writer:
    """One output format: how its files are named, served and written."""

    format: str  # the key profiles name it by
    suffix: str  # the file name's extension, with its dot
    media_type: str  # for the portal's downloads
    write: WriteFunction
    folder: str = ""  # where its files go inside the output folder ("digital" for images)


def _png(placed: PlacedDocument, palette: dict[str, Colour]) -> bytes:
    from packgen.render import png  # PIL's PNG plugin and the rasteriser: for images only

    return png.write(placed, palette)


def _html(placed: PlacedDocument, palette: dict[str, Colour]) -> bytes:
    from packgen.render import html

    return html.write(placed, palette)


WRITERS: dict[str, Writer] = {
    writer.format: writer
    for writer in (
        Writer("pdf", ".pdf", "application/pdf", pdf.render),
        Writer("png", ".png", "image/png", _png, "digital"),  # screen images, one px a pixel
        Writer("html", ".html", "text/html", _html),  # an accessible web page
    )
}


def writer_for(profile: Profile) -> Writer:
    """The writer of ``profile``'s format; an unknown format is an error naming the known ones."""
    found = WRITERS.get(profile.format)
    if found is None:
        raise error(
            f"profile '{profile.suffix}' asks for format '{profile.format}', which has no writer",
            hint=allowed_hint(profile.format, list(WRITERS), "formats"),
        )
    return found


def output_name(product: str, size: str, profile: Profile) -> str:
    """``poster-speak-up-A3-press.pdf``: product, size, profile and the writer's suffix."""
    return f"{product}-{size}-{profile.suffix}{writer_for(profile).suffix}"


@dataclass(frozen=True)
class Output:
    """One made file before it is written: where it goes, what it shows, its bytes."""

    path: Path
    product: str
    placed: PlacedDocument
    data: bytes
    writer: Writer

    @property
    def file(self) -> str:
        """The file's name inside the output folder (``digital/…`` for images)."""
        return f"{self.writer.folder}/{self.path.name}" if self.writer.folder else self.path.name

    def entry(self) -> FileEntry:
        """What the layout knows about this file, for the folder's manifest."""
        return entry_for(self.path, self.product, self.placed, self.data, self.file)


def output(
    folder: Path, product: str, profile: Profile, placed: PlacedDocument, data: bytes
) -> Output:
    """The output of one size of ``product`` in ``profile``, named in ``folder``."""
    writer = writer_for(profile)
    path = folder / writer.folder / output_name(product, placed.size, profile)
    return Output(path, product, placed, data, writer)
