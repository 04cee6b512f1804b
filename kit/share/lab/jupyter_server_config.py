# The kit's JupyterLab configuration (`make lab` passes it with --config): notebooks are saved
# without widget outputs, so a notebook reopened later never shows "model not found"; the
# learner's work is kept by the kit itself (kit/storage/own.py). See kit/lab.py.
c = get_config()  # type: ignore[name-defined]  # noqa: F821 - Jupyter provides it
c.FileContentsManager.pre_save_hook = "kit.lab.strip_widget_outputs"
