"""Screen layouts (banners, social images): their rules, refusals and what goes beside them.

A screen layout (``kind: banner`` or ``kind: social``) is measured in ``px``
and laid out like a poster; this module adds what only screen images need:

- the text-size floor scales with the image's width (``rules.min_text_width``:
  ``min_text`` holds at that width, so 28 px on a 1080-wide image is 41.5 px
  on a 1600-wide one and 15.6 px on a 600-wide banner);
- a social image carries no QR code (people are already on their phone; the
  link goes in the post);
- its ``digital:`` block becomes :class:`DigitalInfo`: the alt text (at most
  250 characters), the banner's link (tracked when the organisation asks) and
  the posts, each checked against its platform's limit as the pack's are.
"""

from __future__ import annotations

from packgen.errors import Diagnostic, Span
from packgen.layout.placed import DigitalInfo, PostText
from packgen.model.common import ElementBase, Rules
from packgen.model.digital import MAX_ALT, SCREEN_KINDS
from packgen.model.fixed import LayoutDocument
from packgen.resolve.content import Content
from packgen.resolve.markup import MissingValue
from packgen.source.load import span_at
from packgen.units import PX


def is_screen(kind: str) -> bool:
    return kind in SCREEN_KINDS


def screen_rules(rules: Rules, width: float) -> Rules:
    """``rules`` with ``min_text`` scaled to an image ``width`` points wide."""
    if rules.min_text_width is None:
        return rules
    return replace_rules(rules, float(rules.min_text) * width / float(rules.min_text_width))


def replace_rules(rules: Rules, min_text: float) -> Rules:
    """A copy of ``rules`` with another ``min_text`` (pydantic models are frozen)."""
    return rules.model_copy(update={"min_text": type(rules.min_text)(min_text)})


def _elements(items: list[ElementBase]) -> list[ElementBase]:
    found: list[ElementBase] = []
    for element in items:
        found.append(element)
        found.extend(_elements(list(getattr(element, "elements", []))))
    return found


def screen_problems(document: LayoutDocument, file: str, data: object) -> list[Diagnostic]:
    """What a screen layout may not have: QR codes on social images, a missing ``digital:``."""
    problems: list[Diagnostic] = []
    if not is_screen(document.kind):
        if document.digital is not None:
            problems.append(
                Diagnostic(
                    f"a {document.kind} is printed; only banner and social layouts have digital:",
                    span_at(data, ("digital",)) or Span(file),
                    "remove digital:, or make this layout kind: banner or kind: social",
                    field="digital",
                )
            )
        return problems
    if document.digital is None:
        problems.append(
            Diagnostic(
                f"a {document.kind} layout needs digital: with at least its alt text",
                Span(file),
                "add digital: {alt: alt.KEY} naming the copy that describes the image",
                field="digital",
            )
        )
    if document.kind == "social":
        for page in document.pages:
            for element in _elements(list(page.elements)):
                if getattr(element, "type", "") == "qr":
                    problems.append(
                        Diagnostic(
                            f"element '{element.id}' is a QR code; social images carry none "
                            "(people are already on their phone)",
                            element.span or Span(file),
                            "remove the qr element and put the link in the post's text",
                            field="type",
                        )
                    )
    return problems


def digital_info(
    document: LayoutDocument, content: Content, file: str, css: tuple[int, int]
) -> DigitalInfo:
    """The alt text, link and posts of a screen layout, from the copy; raises PackgenError."""
    from packgen.errors import PackgenError
    from packgen.layout.flow import social  # the flow package: loaded for screen layouts only

    spec = document.digital
    assert spec is not None
    problems: list[Diagnostic] = []
    alt = _plain(content, spec.alt, "digital.alt", file, problems)
    if alt is not None and not alt.strip():
        problems.append(
            Diagnostic(f"alt text '{spec.alt}' is empty", content.copy_spans.get(spec.alt))
        )
    if alt is not None and len(alt) > MAX_ALT:
        problems.append(
            Diagnostic(
                f"alt text '{spec.alt}' is {len(alt)} characters; at most {MAX_ALT} are read out",
                content.copy_spans.get(spec.alt),
                f"shorten it by {len(alt) - MAX_ALT} characters: say what the image shows",
            )
        )
    link = None
    if spec.link is not None:
        found = content.link(spec.link)
        if found is None:
            from packgen.errors import allowed_hint

            problems.append(
                Diagnostic(
                    f"unknown link '{spec.link}'",
                    Span(file),
                    allowed_hint(spec.link, content.link_names(), "links"),
                    field="digital.link",
                )
            )
        else:
            link = content.tracked(found.url)
    posts: list[PostText] = []
    for post in spec.posts:
        if not content.has(post.copy_key):
            _plain(content, post.copy_key, "digital.posts", file, problems)
            continue
        try:
            text = social.post_text(content.copy[post.copy_key], content.data)
        except MissingValue as exc:
            problems.append(
                Diagnostic(
                    f"copy '{post.copy_key}' uses {{{exc.name}}}, which has no value here",
                    content.copy_spans.get(post.copy_key),
                )
            )
            continue
        length = social.count(text, post.counting)
        if length > post.limit:
            problems.append(
                Diagnostic(
                    f"post '{post.copy_key}' is {length} characters; "
                    f"the limit on {post.platform} is {post.limit}",
                    content.copy_spans.get(post.copy_key),
                    f"shorten it by {length - post.limit} characters",
                )
            )
            continue
        posts.append(PostText(post.platform, post.copy_key, text, length, post.limit))
    if problems:
        raise PackgenError(problems)
    return DigitalInfo(document.kind, alt or "", css, link, posts, spec.max_bytes)


def _plain(
    content: Content, key: str, field_name: str, file: str, problems: list[Diagnostic]
) -> str | None:
    if not content.has(key):
        from packgen.errors import allowed_hint

        problems.append(
            Diagnostic(
                f"no copy '{key}' in language {content.language}",
                Span(file),
                allowed_hint(key, content.keys(), "copy keys"),
                field=field_name,
            )
        )
        return None
    from packgen.layout.flow import social

    try:
        return social.post_text(content.copy[key], content.data)
    except MissingValue as exc:
        problems.append(
            Diagnostic(
                f"copy '{key}' uses {{{exc.name}}}, which has no value here",
                content.copy_spans.get(key),
            )
        )
        return None


def pixel_size(width: float, height: float) -> tuple[int, int]:
    """An image's size in pixels from its size in points (one pixel per ``px``)."""
    return round(width / PX), round(height / PX)
