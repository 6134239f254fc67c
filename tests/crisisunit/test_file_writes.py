"""Issue 35 item 5 (reliability findings 10): a file the portal writes on a full or
read-only disk gives a message, never a traceback, and leaves no partial file."""

import errno
import io
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_the_import_template_on_a_full_disk_is_a_message_and_no_empty_file(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "template.xlsx"

    with pytest.raises(CommandError, match="could not be written .* No space left"):
        call_command("import_caseload", template=str(target), language="en")

    assert list(tmp_path.iterdir()) == []


def test_a_backup_into_a_read_only_folder_says_so(tmp_path, monkeypatch):
    """The clean-up's own error (unlinking in a read-only folder) hid the real one."""
    real_open = os.open

    def read_only(path, *args, **kwargs):
        if str(path).startswith(str(tmp_path)):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, *args, **kwargs)

    def unlink(self, missing_ok=False):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "open", read_only)
    monkeypatch.setattr(Path, "unlink", unlink)

    with pytest.raises(CommandError, match="could not be written .*Read-only file system"):
        call_command("backup", output=str(tmp_path / "b.dump"), stdout=io.StringIO())
