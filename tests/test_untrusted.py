"""The one home for hostile files and text: bounded reads of regular files, escaped output."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kazsim.untrusted import (
    FileTooLargeError,
    NotARegularFileError,
    printable,
    printable_line,
    read_regular,
)


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"abc")
    assert read_regular(f, 3) == b"abc"


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"abcd")
    with pytest.raises(FileTooLargeError) as err:
        read_regular(f, 3)
    assert "4 bytes" in err.value.reason


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result: list[BaseException] = []

    def attempt() -> None:
        try:
            read_regular(fifo, 100)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            result.append(exc)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "opening a FIFO blocked"
    assert isinstance(result[0], NotARegularFileError)
    assert "FIFO" in result[0].reason


def test_a_device_is_refused() -> None:
    with pytest.raises(NotARegularFileError, match="device"):
        read_regular("/dev/zero", 100)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotARegularFileError, match="folder"):
        read_regular(tmp_path, 100)


def test_a_symlink_is_refused_when_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.write_bytes(b"x")
    link = tmp_path / "l"
    link.symlink_to(target)
    assert read_regular(link, 10) == b"x"
    with pytest.raises(NotARegularFileError, match="symbolic link"):
        read_regular(link, 10, follow_symlinks=False)


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "none", 10)


@pytest.mark.parametrize(("raw", "shown"), [
    ("plain text", "plain text"),
    ("two\nlines\tand tab", "two\nlines\tand tab"),
    ("\x1b[2J\x1b]0;owned\x07", "\\e[2J\\e]0;owned\\a"),
    ("csi \x9b31m", "csi \\x9b31m"),
    ("del\x7f", "del\\x7f"),
    ("bidi \u202egnp.exe", "bidi \\u202egnp.exe"),
    ("Алматы 2022 — ok", "Алматы 2022 — ok"),
])
def test_printable_escapes_what_a_terminal_would_act_on(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_printable_line_keeps_one_line() -> None:
    assert printable_line("an\nid\t") == "an\\nid\\t"
