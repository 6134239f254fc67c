"""The public site's texts as the home's staff write them: a small, safe subset of
Markdown (paragraphs, lists, links, emphasis, line breaks), rendered to HTML and then
sanitised with nh3, so that no script, style or foreign markup reaches a page.

`strip_unsafe` cleans the source before it is stored and says what it took out, so the
editor can be told; `render` sanitises again on the way out, whatever is stored."""

import html
import re

import nh3
from markdown_it import MarkdownIt

TAGS = {"p", "ul", "ol", "li", "a", "em", "strong", "br"}
SCHEMES = {"http", "https", "mailto", "tel"}

# Only the rules of the subset: anything else (headings, images, tables, code, raw
# HTML) stays the text it was typed as.
_markdown = MarkdownIt("zero", {"html": False, "breaks": True}).enable(
    ["emphasis", "list", "link", "newline", "escape", "entity"]
)
_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes={"a": {"href"}},
    url_schemes=SCHEMES,
    link_rel="noopener noreferrer",
)
# [words](address "title"), the address allowed one level of brackets.
_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")

# What strip_unsafe may report.
HTML = "html"
LINK = "link"


def render(text: str) -> str:
    """The HTML of a stored text, sanitised."""
    return _cleaner.clean(_markdown.render(text or "")).strip()


def strip_html(text: str) -> tuple[str, bool]:
    """`text` without HTML tags (a script or style with its content); and whether
    there was any. Text that only looks like a tag ("a < b", "<3") is kept."""
    if not text or not nh3.is_html(text):
        return text, False
    stripped = nh3.clean(text, tags=set(), attributes={}, clean_content_tags={"script", "style"})
    return html.unescape(stripped), True


def _unsafe_link(url: str) -> bool:
    # As a browser reads it: entities decoded, no control characters or spaces.
    url = "".join(c for c in html.unescape(url) if c.isprintable() and not c.isspace())
    scheme = _SCHEME.match(url)
    return scheme is not None and scheme.group(1).lower() not in SCHEMES


def strip_unsafe(text: str) -> tuple[str, set[str]]:
    """`text` fit to store: no HTML, and no link to anything but a web page, an email
    address or a phone (a `javascript:` link keeps its words, loses the link). With it,
    what was taken out: a set of HTML and LINK."""
    text, had_html = strip_html(text)
    removed = {HTML} if had_html else set()

    def unlink(match: re.Match[str]) -> str:
        if _unsafe_link(match.group(2)):
            removed.add(LINK)
            return match.group(1)
        return match.group(0)

    return _LINK.sub(unlink, text or ""), removed
