"""The HTML allowlist every piece of rendered content passes through (nh3, i.e. ammonia).

Whatever a trainer writes, learners' pages get no scripts, no event handlers, no ``style``
attributes, no iframes, forms or embedded SVG/MathML, and no ``javascript:`` or ``data:`` URLs.
Pictures may only come from Sightline's own asset store.
"""
from __future__ import annotations

import html
import re

import nh3

ASSET_URL_PREFIX = "/content/assets/"
MODULE_LINK_PREFIX = "/content/go/"

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = HEADINGS | {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
# Removed together with everything inside them (not just the tags).
REMOVED_WITH_CONTENT = {
    "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "noscript",
    "svg", "math", "textarea", "select", "option", "title", "xmp", "noembed", "noframes", "button",
    "canvas", "audio", "video", "applet",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "abbr": {"title"},
    **{h: {"id"} for h in HEADINGS},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Classes Sightline adds while rendering (GOV.UK Frontend styles and Sightline boxes); an author's
# own classes ({.name}) survive only when they are in this list.
BOX_KINDS = ("note", "tip", "important", "warning", "reflect")
ALLOWED_CLASSES = {
    "p": {"govuk-body", "govuk-body-s", "sl-box__title", "admonition-title"},
    "h1": {"govuk-heading-xl"},
    "h2": {"govuk-heading-l"},
    "h3": {"govuk-heading-m"},
    "h4": {"govuk-heading-s"},
    "h5": {"govuk-heading-s"},
    "h6": {"govuk-heading-s"},
    "ul": {"govuk-list", "govuk-list--bullet"},
    "ol": {"govuk-list", "govuk-list--number"},
    "a": {"govuk-link", "footnote-ref", "footnote-backref"},
    "table": {"govuk-table"},
    "thead": {"govuk-table__head"},
    "tbody": {"govuk-table__body"},
    "tr": {"govuk-table__row"},
    "th": {"govuk-table__header"},
    "td": {"govuk-table__cell"},
    "caption": {"govuk-table__caption"},
    "blockquote": {"govuk-inset-text", "sl-quote"},
    "hr": {"govuk-section-break", "govuk-section-break--m", "govuk-section-break--visible"},
    "div": {"admonition", "sl-box", "govuk-inset-text", "footnote", "sl-footnotes", *BOX_KINDS,
            *(f"sl-box--{k}" for k in BOX_KINDS)},
    "img": {"sl-picture"},
    "code": {"sl-code"},
}

# Ids the page layout itself uses: content must not take them (skip link, GOV.UK components).
RESERVED_IDS = frozenset({
    "main-content", "content", "top", "header", "footer", "navigation", "skip-link",
    "error-summary", "govuk-notification-banner-title", "service-navigation",
})


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "id" and value in RESERVED_IDS:
        return None
    if tag == "img" and name == "src":
        return value if value.startswith(ASSET_URL_PREFIX) else None
    if tag == "a" and name == "href":
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
            return value  # nh3 checks the scheme against URL_SCHEMES
        if value.startswith("#") or value.startswith(MODULE_LINK_PREFIX):
            return value
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=REMOVED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes=URL_SCHEMES,
    allowed_classes=ALLOWED_CLASSES,
    strip_comments=True,
    link_rel="noopener noreferrer",
)
_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags=REMOVED_WITH_CONTENT, strip_comments=True)


def sanitise(fragment: str) -> str:
    """Reduce an HTML fragment to the allowlist."""
    return _CLEANER.clean(fragment)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed (for search and titles)."""
    return " ".join(html.unescape(_TEXT_CLEANER.clean(fragment)).split())
