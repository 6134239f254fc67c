"""Every environment variable the settings read is documented: a row of the README's
Configuration table (name, default, meaning) and a line of `.env.example` (code review
finding 10 found six documented nowhere)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def read_by_settings() -> set[str]:
    source = (ROOT / "crisisunit" / "settings.py").read_text()
    return set(re.findall(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))


def readme_table() -> set[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def env_example() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {m.group(1) for line in lines if (m := re.match(r"#?\s*([A-Z][A-Z0-9_]+)=", line))}


def test_the_settings_read_the_environment_through_names_this_test_sees():
    assert {"SECRET_KEY", "DATABASE_URL", "FOLLOW_UP_MONTHS"} <= read_by_settings()


def test_every_environment_variable_has_a_row_in_the_readme():
    assert sorted(read_by_settings() - readme_table()) == []


def test_every_environment_variable_is_in_the_env_example():
    assert sorted(read_by_settings() - env_example()) == []


def test_the_documentation_names_no_variable_the_settings_do_not_read():
    assert sorted((readme_table() | env_example()) - read_by_settings()) == []
