import errno
import os

import pytest

from crisisunit.lib import files


def test_a_file_is_written_whole_and_private(tmp_path):
    path = files.write_whole(tmp_path / "t.xlsx", b"data")

    assert path.read_bytes() == b"data"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_a_full_disk_leaves_no_file_not_even_an_empty_one(tmp_path, monkeypatch):
    def full(fd):  # what a full disk answers when the written data are flushed
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)

    with pytest.raises(OSError, match="No space left"):
        files.write_whole(tmp_path / "t.xlsx", b"x" * 100_000)
    monkeypatch.undo()

    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_gives_its_own_error(tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            files.write_whole(tmp_path / "t.xlsx", b"data")
    finally:
        tmp_path.chmod(0o700)
