"""Implementatiekit: hands-on training in implementing social interventions.

Notebooks import the app builders from here and show what they return. The builders are imported
on first use (PEP 562), so a page only pays for the app it shows.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kit.apps.common import query_params
    from kit.apps.group_app import group_app
    from kit.apps.homework_app import homework_app
    from kit.apps.kern_app import kern_app
    from kit.apps.landing import landing_page, start_page
    from kit.apps.phases_app import phases_app
    from kit.apps.plan_app import plan_app
    from kit.apps.presenter import presenter_view
    from kit.apps.quickscan_app import quickscan_app
    from kit.apps.room_app import lead_app
    from kit.apps.workshop import participant_page

__all__ = [
    "group_app",
    "homework_app",
    "kern_app",
    "landing_page",
    "lead_app",
    "participant_page",
    "phases_app",
    "plan_app",
    "presenter_view",
    "query_params",
    "quickscan_app",
    "start_page",
]

_WHERE = {
    "group_app": "kit.apps.group_app",
    "homework_app": "kit.apps.homework_app",
    "kern_app": "kit.apps.kern_app",
    "landing_page": "kit.apps.landing",
    "lead_app": "kit.apps.room_app",
    "participant_page": "kit.apps.workshop",
    "phases_app": "kit.apps.phases_app",
    "plan_app": "kit.apps.plan_app",
    "presenter_view": "kit.apps.presenter",
    "query_params": "kit.apps.common",
    "quickscan_app": "kit.apps.quickscan_app",
    "start_page": "kit.apps.landing",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'kit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
