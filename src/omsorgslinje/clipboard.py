"""Copying a document to the clipboard, as plain text for pasting into a journal system.

Uses the platform's own tool: wl-copy (Wayland), xclip or xsel (X11), pbcopy (macOS), clip
(Windows, also from WSL as clip.exe). When none is there, `copy` says so plainly, with what to
install; nothing is copied by other means.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from .errors import OmsorgslinjeError


class NoClipboard(OmsorgslinjeError):
    """No clipboard tool, or the tool failed."""

    exit_code = 1


def tools() -> list[list[str]]:
    """The commands to try, in order, for this platform and session."""
    if sys.platform == "darwin":
        return [["pbcopy"]]
    if sys.platform.startswith("win"):
        return [["clip"]]
    found: list[list[str]] = []
    if os.environ.get("WAYLAND_DISPLAY"):
        found.append(["wl-copy", "--type", "text/plain"])
    if os.environ.get("DISPLAY") or not os.environ.get("WAYLAND_DISPLAY"):
        found += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    found += [["wl-copy", "--type", "text/plain"], ["clip.exe"], ["pbcopy"]]
    unique: list[list[str]] = []
    for cmd in found:
        if cmd not in unique:
            unique.append(cmd)
    return unique


def copy(text: str) -> str:
    """Copy `text`; the name of the tool that did. Raises NoClipboard."""
    for cmd in tools():
        path = shutil.which(cmd[0])
        if path is None:
            continue
        try:
            subprocess.run(
                [path, *cmd[1:]],
                input=text.encode("utf-8"),
                check=True,
                timeout=5,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        return cmd[0]
    raise NoClipboard(
        "Fant ikke noe program for utklippstavlen (wl-copy, xclip, xsel, pbcopy eller clip), "
        "så ingenting er kopiert. Installer for eksempel wl-clipboard eller xclip, eller lagre "
        "dokumentet i en fil i stedet."
    )
