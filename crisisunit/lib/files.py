"""Writing a file so that it appears whole or not at all."""

import contextlib
import os
from pathlib import Path


def write_whole(path: Path | str, data: bytes, *, mode: int = 0o600) -> Path:
    """Write `data` to `path` through a temporary file beside it, renamed only once
    complete: a full or read-only disk raises the OSError and leaves no file, not even
    an empty one (an existing `path` is left as it was)."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        forget(partial)
        raise
    return path


def forget(path: Path) -> None:
    """Remove `path` if it is there and can be removed: a clean-up after a failure,
    which must never hide the failure's own error (a read-only folder, say)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
