"""A scan is told by its first bytes; its name must name a file and nothing else."""

import pytest

from crisisunit.lib.uploads import plain_name, sniff


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", ("application/pdf", "pdf")),
        (b"\xff\xd8\xff\xe1", ("image/jpeg", "jpg")),
        (b"\x89PNG\r\n\x1a\n\x00", ("image/png", "png")),
        (b"MZ\x90\x00", None),
        (b"GIF89a", None),
        (b"<svg xmlns=", None),
        (b"", None),
    ],
)
def test_a_scan_is_told_by_its_first_bytes(head, expected):
    assert sniff(head) == expected


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("Согласие Сынақова.pdf", True),
        ("report..final.pdf", True),
        ("../passwd.pdf", False),
        ("C:\\scans\\a.pdf", False),
        ("..", False),
        ("a\x00.pdf", False),
        ("a\u202egpj.pdf", False),  # right-to-left override: "apdf.jpg" on screen
        ("", False),
    ],
)
def test_a_plain_name_names_a_file_and_nothing_else(name, plain):
    assert plain_name(name) is plain
