"""Where the kit's data lives: inside the package when installed from a wheel
(``kit/bundled/…``), at the repository's top level in a checkout (``content/``, ``notebooks/``).

The wheel maps the top-level folders into the package (``[tool.setuptools.package-dir]`` in
``pyproject.toml``), so both cases are found relative to this file, never to the working folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The folder ``name`` (``content`` or ``notebooks``) of this installation."""
    inside = PACKAGE / "bundled" / name
    return inside if inside.is_dir() else PACKAGE.parent / name


def notebooks_dir() -> Path:
    """The app notebooks Voila serves."""
    return bundled("notebooks")


def content_dir() -> Path:
    """The kit's own content (a trainer's copy is chosen with ``KIT_CONTENT_DIR``)."""
    return bundled("content")
