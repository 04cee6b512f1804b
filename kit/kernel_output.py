"""Where a served kernel's output goes: ``stdout`` to the page as usual, ``stderr`` only to the
server's log.

ipykernel sends whatever a kernel writes to ``stderr`` over the page's websocket: the warnings
and tracebacks that ipykernel, ipywidgets and the kit log there. A client that sent the widget
channels a malformed message got the Python traceback back ("Exception opening comm with
target ..."), with the server's file paths. The kit's Voila server starts its kernels with
``--IPKernelApp.outstream_class=kit.kernel_output.outstream`` (``kit/voila_server.py``): their
``stderr`` is the process's own, which the Voila server passed on to its log.
"""

from __future__ import annotations

import sys
from typing import Any

#: The kernel argument that puts :func:`outstream` in place.
KERNEL_ARGUMENT = "--IPKernelApp.outstream_class=kit.kernel_output.outstream"


def outstream(session: Any, pub_thread: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """ipykernel's stream for ``stdout``; the process's real ``stderr`` for ``stderr``."""
    if name == "stderr" and sys.__stderr__ is not None:
        return sys.__stderr__
    from ipykernel.iostream import OutStream

    return OutStream(session, pub_thread, name, *args, **kwargs)  # type: ignore[no-untyped-call]
