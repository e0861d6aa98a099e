"""Writing output files safely: check the path before the work, then write atomically.

Every file the tool writes (workbooks, HTML charts, JSON Schema) goes through :func:`write_bytes` or
:func:`write_text`: the content goes to a temporary file in the destination's directory, is flushed to
disk, and replaces the destination in one ``os.replace``. A crash or ``kill -9`` at any moment leaves
either the old file or the new one, never a truncated one (at worst a stray ``.<name>.*.tmp`` file
beside it). :func:`check_output_path` is called before a long computation, so that a missing directory,
a directory given as the file or an unwritable place fails at once with exit 2, not after the run.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from steelworks.errors import InputError

#: longest path accepted for an output file
MAX_PATH_CHARS = 4096


def _refuse(path: object, message: str, option: str | None) -> InputError:
    allowed = "a writable file in an existing directory"
    return InputError(message, file=str(path)[:300], location=option, allowed=allowed)


def check_output_path(path: str | os.PathLike[str], option: str | None = None) -> Path:
    """Return ``path`` as a :class:`Path` if a file can be written there, else raise :class:`InputError`.

    ``option`` names the command-line option the path came from (for the message).
    """
    text = os.fspath(path)
    if not text or "\x00" in text:
        raise _refuse(repr(text), "an output path must be a non-empty name without NUL characters", option)
    if len(text) > MAX_PATH_CHARS:
        raise _refuse(text, f"the output path is {len(text):,} characters long", option)
    target = Path(text)
    if len(target.name.encode("utf-8", "surrogateescape")) > 255:
        raise _refuse(target, "the file name is longer than 255 bytes", option)
    try:
        if target.is_symlink():  # write through the link, as open() would, instead of replacing it
            target = Path(os.path.realpath(target))
        if target.is_dir():
            raise _refuse(target, "the output path is a directory, not a file", option)
        if target.exists() and not target.is_file():
            raise _refuse(target, "the output path is a device, pipe or socket, not a regular file", option)
        parent = target.parent
        if not parent.exists():
            raise _refuse(target, f"the directory '{parent}' does not exist", option)
        if not parent.is_dir():
            raise _refuse(target, f"'{parent}' is not a directory", option)
        if target.exists() and not os.access(target, os.W_OK):
            raise _refuse(target, "the output file exists and is not writable", option)
        if not os.access(parent, os.W_OK | os.X_OK):
            raise _refuse(target, f"the directory '{parent}' is not writable", option)
    except OSError as exc:
        raise _refuse(target, f"cannot write here ({exc.strerror or exc})", option) from None
    return target


def write_bytes(path: str | os.PathLike[str], data: bytes, option: str | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same directory, fsync, rename)."""
    target = check_output_path(path, option)
    mode = _mode_for(target)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:100]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, mode)
            os.replace(tmp_name, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
    except OSError as exc:
        raise _refuse(target, f"cannot write the file ({exc.strerror or exc})", option) from None
    _sync_dir(target.parent)
    return target


def write_text(path: str | os.PathLike[str], text: str, option: str | None = None) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    return write_bytes(path, text.encode("utf-8"), option)


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_dir(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
