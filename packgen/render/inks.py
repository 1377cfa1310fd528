"""Palette inks against the output condition: warnings where print and screen part.

Every palette colour is defined twice, as CMYK for press and sRGB for screens
and office printers. Under the press printing condition (the output intent's
ICC profile) the CMYK prints a CIELAB colour; the sRGB hex is a CIELAB colour
too. When the two are more than ``MAX_DELTA_E`` apart (CIE 1976 ΔE, D50,
relative to the paper), press and office prints of the same design visibly
differ, so the build warns and suggests the profile's own CMYK for the hex.

One-ink greys (only K) are exempt: 100% K text and rules are meant to print
in black ink alone, and no CMYK reaches screen black (#000000).
"""

from __future__ import annotations

from packgen.colour import Colour
from packgen.errors import Diagnostic, Severity, Span
from packgen.resolve.icc import OutputCondition, delta_e76, lab_of_srgb

MAX_DELTA_E = 10.0


def ink_gap(colour: Colour, condition: OutputCondition) -> float:
    """ΔE76 between the colour's CMYK printed in ``condition`` and its sRGB."""
    return delta_e76(condition.lab_of_cmyk(colour.cmyk_fraction), lab_of_srgb(colour.rgb_fraction))


def palette_warnings(
    palette: dict[str, Colour],
    condition: OutputCondition,
    spans: dict[str, Span] | None = None,
    where: str = "",
) -> list[Diagnostic]:
    """A warning for each palette colour whose CMYK and sRGB are over MAX_DELTA_E apart."""
    found: list[Diagnostic] = []
    for name, colour in palette.items():
        c, m, y, _ = colour.cmyk
        if c == m == y == 0:
            continue
        gap = ink_gap(colour, condition)
        if gap <= MAX_DELTA_E:
            continue
        suggested = ", ".join(f"{round(v * 100)}" for v in condition.cmyk_of(colour.rgb_fraction))
        found.append(
            Diagnostic(
                f"CMYK {[round(v) for v in colour.cmyk]} prints ΔE {gap:.1f} from its sRGB"
                f" {colour.rgb} under {condition.identifier} (more than {MAX_DELTA_E:g}),"
                " so press and office prints differ",
                (spans or {}).get(name) or (Span(where) if where else None),
                f"cmyk: [{suggested}] is what {condition.identifier} prints for {colour.rgb};"
                " or change rgb to match the ink",
                Severity.WARNING,
                field=f"palette.{name}",
            )
        )
    return found
