"""The kit in JupyterLab (``make lab``): notebooks are saved without widget outputs.

JupyterLab autosaves a notebook with its widget outputs but not the widgets' state (the widget
manager's ``saveState`` is off), so a notebook reopened the next day shows "Error displaying
widget: model not found" in every cell until it is run again. The learner's work is kept by the
kit itself (:mod:`kit.storage.own`), not in the notebook, so the kit's Lab configuration
(``kit/share/lab/jupyter_server_config.py``) drops those outputs on every save: a reopened
notebook shows its code and the line that says to run it, never a broken widget.
"""

from __future__ import annotations

from typing import Any

#: The output type of a widget shown in a cell (its view points at a model in the kernel).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widget_outputs(model: dict[str, Any], **_: Any) -> None:
    """A ``FileContentsManager.pre_save_hook``: take widget outputs (and the widget state
    metadata, which belongs to a kernel that is gone) out of a notebook being saved; other
    outputs stay. A code cell left without outputs loses its execution count too.

    >>> cell = {"cell_type": "code", "execution_count": 3, "outputs": [
    ...     {"output_type": "display_data", "data": {WIDGET_VIEW: {"model_id": "ab"}}},
    ...     {"output_type": "stream", "name": "stdout", "text": "hallo"}]}
    >>> model = {"type": "notebook", "content": {"cells": [cell], "metadata": {"widgets": {}}}}
    >>> strip_widget_outputs(model)
    >>> cell["outputs"], cell["execution_count"], model["content"]["metadata"]
    ([{'output_type': 'stream', 'name': 'stdout', 'text': 'hallo'}], 3, {})
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    notebook = model["content"]
    metadata = notebook.get("metadata")
    if isinstance(metadata, dict):
        metadata.pop("widgets", None)
    for cell in notebook.get("cells", ()):
        if cell.get("cell_type") != "code" or not cell.get("outputs"):
            continue
        kept = [o for o in cell["outputs"] if WIDGET_VIEW not in (o.get("data") or {})]
        if len(kept) != len(cell["outputs"]):
            cell["outputs"] = kept
            if not kept:
                cell["execution_count"] = None
