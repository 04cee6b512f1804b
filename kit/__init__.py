"""Implementatiekit: hands-on training in implementing social interventions.

Notebooks import the app builders from here and show what they return.
"""

from kit.apps.common import query_params
from kit.apps.group_app import group_app
from kit.apps.kern_app import kern_app
from kit.apps.landing import landing_page
from kit.apps.phases_app import phases_app
from kit.apps.quickscan_app import quickscan_app

__all__ = ["group_app", "kern_app", "landing_page", "phases_app", "query_params", "quickscan_app"]
