"""The colour pairs of the stylesheet meet WCAG 2.1 AA (4.5:1 for text)."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "site.css").read_text()


def palette(selector):
    """The colour variables the block `selector { … }` defines."""
    block = re.search(re.escape(selector) + r"\s*\{(.*?)\}", CSS, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


STANDARD = palette(":root")
# The low-vision mode redefines some of the colours; the others stay as they are.
LOW_VISION = {**STANDARD, **palette("html.low-vision")}
PALETTES = {"standard": STANDARD, "low-vision": LOW_VISION}


def luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    high, low = sorted([luminance(one), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("mode", PALETTES)
@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("ink", "paper"),
        ("muted", "paper"),
        ("muted", "soft"),
        ("accent", "paper"),
        ("accent-ink", "accent"),
        ("danger", "paper"),
        ("danger", "danger-bg"),
        ("ink", "danger-bg"),
        ("ink", "ok-bg"),
        ("ok-ink", "ok-bg"),
        ("ink", "warm"),
        ("accent", "soft"),
        ("ink", "soft"),
    ],
)
def test_text_colours_meet_aa_contrast_in_both_modes(mode, text, background):
    colours = PALETTES[mode]
    assert contrast(colours[text], colours[background]) >= 4.5


@pytest.mark.parametrize("mode", PALETTES)
@pytest.mark.parametrize("background", ["paper", "soft"])
def test_the_focus_ring_stands_out_in_both_modes(mode, background):
    colours = PALETTES[mode]
    assert contrast(colours["focus-ring"], colours[background]) >= 3


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("#ffffff", "#000000"),
        ("#ffea00", "#000000"),
        ("#000000", "#ffea00"),
        ("#ffffff", "#084a70"),
    ],
)
def test_the_low_vision_mode_and_the_navigation_bar_meet_aa_contrast(text, background):
    assert contrast(text, background) >= 4.5


@pytest.mark.django_db
def test_the_admin_follows_the_low_vision_mode(client, administrator):
    """Accessibility review #8: the admin looked the same with the mode on."""
    client.force_login(administrator)

    standard = client.get("/admin/").content.decode()
    client.cookies["low_vision"] = "on"
    low_vision = client.get("/admin/").content.decode()

    assert "admin-low-vision.css" not in standard
    assert "admin-low-vision.css" in low_vision


@pytest.mark.parametrize(
    ("text", "background"),
    [("body-fg", "body-bg"), ("link-fg", "body-bg"), ("header-color", "header-bg"),
     ("button-fg", "button-bg"), ("body-medium-color", "body-bg"), ("error-fg", "body-bg"),
     ("breadcrumbs-link-fg", "breadcrumbs-bg"), ("primary-fg", "primary")],
)  # fmt: skip
def test_the_admins_low_vision_colours_meet_aa_contrast(text, background):
    css = (Path(__file__).resolve().parents[2] / "static/css/admin-low-vision.css").read_text()
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))

    assert contrast(colours[text], colours[background]) >= 7, (text, background)
