"""Where kazsim keeps its files: saves, the scenario cache, and the bundled docs.

One home for every location, so that the command line, the terminal game and
every message name the same folder:

* Saves: ``--save-dir``, else ``$KAZSIM_SAVE_DIR``, else ``./saves`` when the
  current folder has one (a checkout does), else ``saves`` in the user's data
  folder (``~/.local/share/kazsim/saves`` on Linux, via platformdirs).
* Cache: ``$KAZSIM_CACHE_DIR`` (an empty value turns the cache off), else the
  user's cache folder (``~/.cache/kazsim`` on Linux, honouring
  ``$XDG_CACHE_HOME``).
* Docs: the guides and the JSON Schema ship inside the package as
  ``kazsim/docs`` (see pyproject.toml); in a checkout they are ``docs/``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import kazsim

APP = "kazsim"
PACKAGE_DIR = Path(kazsim.__file__).resolve().parent


def save_dir(chosen: str | os.PathLike[str] | None = None) -> Path:
    """The folder of saved games, absolute (it need not exist yet)."""
    if chosen:
        return Path(chosen).expanduser().absolute()
    configured = os.environ.get("KAZSIM_SAVE_DIR", "").strip()
    if configured:
        return Path(configured).expanduser().absolute()
    here = Path.cwd() / "saves"
    if here.is_dir():
        return here
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "saves"


def cache_root() -> Path | None:
    """The folder kazsim may cache in, or None when the cache is turned off."""
    configured = os.environ.get("KAZSIM_CACHE_DIR")
    if configured is not None:
        return Path(configured).expanduser().absolute() if configured.strip() else None
    import platformdirs

    try:
        return Path(platformdirs.user_cache_dir(APP, appauthor=False))
    except (RuntimeError, KeyError):  # no home folder
        return None


def docs_dir() -> Path:
    """The folder of the guides and the JSON Schema: in the package, else the checkout's."""
    for candidate in (PACKAGE_DIR / "docs", PACKAGE_DIR.parent / "docs"):
        if (candidate / "authoring.md").is_file():
            return candidate
    return PACKAGE_DIR / "docs"


def doc(name: str) -> Path:
    """The full path of one bundled document, such as ``authoring.md``."""
    return docs_dir() / name


_DOC_MENTION = re.compile(r"(?<![\w/.])docs/([\w.-]+\.(?:md|json))")


def docs_note(text: str) -> str:
    """Where each "docs/NAME" that `text` mentions is installed, one line each ('' if none).

    Messages from the scenario layer say "see docs/authoring.md", a checkout's
    path; whoever installed the wheel has the guides inside the package. The
    command line and the game's launch problems print this note after such
    messages, so that every message leads to a file the reader has. Run from a
    checkout (the guides are its own docs/), there is nothing to add.
    """
    if "docs/" not in text or docs_dir() != PACKAGE_DIR / "docs":
        return ""
    lines = []
    for name in dict.fromkeys(_DOC_MENTION.findall(text)):
        path = doc(name)
        if path.is_file():
            lines.append(f"docs/{name} is {path}")
    return "\n".join(lines)
