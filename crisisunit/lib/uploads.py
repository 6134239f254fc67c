"""What an uploaded scan is, told by its first bytes (never by its name or by what the
browser says), and whether its name can be kept as it is."""

import unicodedata

# The first bytes of each kind of file accepted, and its extension.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, JPEG or PNG file, or None."""
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def plain_name(name: str) -> bool:
    """A name that names a file and nothing else: no folder, not `.` or `..`, no control
    or invisible formatting character."""
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        return False
    return not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name)


EXTENSIONS = {content_type: extension for _head, content_type, extension in SIGNATURES}


def download_name(original: str, content_type: str, *, fallback: str) -> str:
    """The name a kept file is downloaded under: the original name's letters, digits,
    hyphens and underscores (spaces as underscores, at most 80), or `fallback` when
    nothing is left of it, and always the extension of the type the content was
    checked to be, so that "referral.cmd" holding a PDF downloads as "referral.pdf"
    (and a type the portal no longer keeps as ".bin", which nothing opens by itself)."""
    stem = original.rsplit(".", 1)[0] if "." in original else original
    kept = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem.strip())
    kept = "_".join(part for part in kept.split("_") if part)[:80]
    return f"{kept or fallback}.{EXTENSIONS.get(content_type, 'bin')}"
