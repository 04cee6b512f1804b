"""Kern en schil at its edges: renamed adaptation types still load under their new id."""

from __future__ import annotations

import pytest

from kit import adaptations


def test_a_renamed_adaptation_type_is_read_under_its_new_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(adaptations.TYPE_ALIASES, "old-translate", "translate")
    assert adaptations.canonical_type("old-translate") == "translate"
    assert adaptations.canonical_type("translate") == "translate"
    assert adaptations.canonical_type("remove") == "remove"
