"""The kit as a JupyterHub service: one kit server (the Voila of ``make serve``, with its room
pool) behind the hub's login, instead of a Jupyter server per participant.

The hub starts it as a managed service (``deploy/hub/implementatiekit.py``)::

    c.JupyterHub.services = [{"name": "kit", "url": "http://127.0.0.1:10101", "oauth_no_confirm": True,
                              "command": [python, "-m", "kit.hub_service", "--room", "30"]}]

and it serves the pages under the service's prefix (``/services/kit/voila/render/…``). Who is who
comes from the hub, through JupyterHub's own service authentication (:class:`HubOAuth`):

* every request needs the hub user's service cookie; a page asked for without it is sent to the
  hub's login (and back, through ``/services/kit/oauth_callback``), anything else gets 403;
* a page's kernel belongs to the hub user who opened the page: its API and websocket refuse any
  other hub user (403), even one holding that page's kernel cookie;
* the page's kernel learns the hub user as its client (``X-Kit-Client: hub-user:<name>``, set
  here whatever the browser sent): in a session the hub user is the participant, with no
  personal code (kit/apps/session_bar.py), and guesses are counted per hub user.

The kernel's own request-info socket (``/voila/query/``, a pre-heated kernel waiting for its
visitor) stays without hub login: the kit's server lets only the kernel itself on this machine
hold it (:func:`kit.voila_server.kernel_may_wait`). The hub's API token is taken out of the
environment before any kernel starts: kernels never see it.

Several services (one per room, or a few per machine) can share one PostgreSQL database: each
carries its own prefix in its join links (``KIT_PUBLIC_URL``), so a session's participants reach
the service that holds their kernels.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import os
import sys
from typing import Any
from urllib.parse import urlsplit

from jupyter_server.utils import url_path_join
from jupyterhub.services.auth import (  # type: ignore[import-untyped]
    HubOAuth,
    HubOAuthCallbackHandler,
)
from tornado.httputil import url_concat
from tornado.web import HTTPError

from kit.sessions import HUB_CLIENT
from kit.voila_server import KitVoila

#: Route patterns (below the service prefix) reached without a hub login: the pre-heated
#: kernel's own socket (guarded by the kit's server itself) and the page that redirects ``/``.
NO_HUB_LOGIN = (r"/voila/query/",)
#: Route patterns of one kernel (its id the first argument): only its hub user may use them.
KERNEL_ROUTES = (r"/api/kernels/", r"/voila/api/shutdown/")


def hub_client(name: str) -> str:
    """What the page's kernel is told about its visitor: the hub user, who is the participant
    in a session (:func:`kit.sessions.hub_identity`) and whose wrong codes are counted. At most
    64 characters: a longer name is told as its hash, so two long names never become one.

    >>> hub_client("merel")
    'hub-user:merel'
    >>> long = hub_client("a" * 60 + "@example.org")
    >>> len(long), long.startswith("hub-user:#"), long == hub_client("a" * 60 + "@example.com")
    (64, True, False)
    """
    client = f"{HUB_CLIENT}{name}"
    if len(client) <= 64:
        return client
    return f"{HUB_CLIENT}#{hashlib.sha256(name.encode()).hexdigest()}"[:64]


def service_address(url: str) -> tuple[str, int]:
    """Where the service listens: the host and port of ``JUPYTERHUB_SERVICE_URL``.

    >>> service_address("http://127.0.0.1:10101")
    ('127.0.0.1', 10101)
    >>> service_address("http://0.0.0.0:8866/")
    ('0.0.0.0', 8866)
    """
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def may_use_kernel(owners: dict[str, str], kernel_id: str, user: str) -> bool:
    """Whether hub user ``user`` may use kernel ``kernel_id``: only the one whose page it serves.

    >>> owners = {"k1": "deelnemer1"}
    >>> may_use_kernel(owners, "k1", "deelnemer1"), may_use_kernel(owners, "k1", "deelnemer2")
    (True, False)
    >>> may_use_kernel(owners, "k2", "deelnemer1")  # a kernel no page was given (a pooled one)
    False
    """
    return owners.get(kernel_id) == user


def _login_redirect(handler: Any, auth: HubOAuth) -> str:
    """The hub's login (OAuth authorize) URL for this request, with its state cookie set, as
    :class:`jupyterhub.services.auth.HubAuthenticated` builds it."""
    params: dict[str, str] = {}
    verifier = None
    if auth.pkce_enabled:
        verifier, challenge, method = auth.generate_pkce_code_challenge()
        params["code_challenge"], params["code_challenge_method"] = challenge, method
    params["state"] = auth.set_state_cookie(
        handler, next_url=handler.request.uri, code_verifier=verifier
    )
    return str(url_concat(auth.login_url, params))


def hub_gated(
    handler: type[Any], auth: HubOAuth, owners: dict[str, str], *, page: bool, kernel: bool
) -> type[Any]:
    """``handler`` (one of the kit's guarded handlers) behind the hub's login."""

    class HubGated(handler):  # type: ignore[misc]
        _kit_hub_user = ""

        async def prepare(self, *args: Any, **kwargs: Any) -> Any:
            user = await auth.get_user(self, sync=False)
            if user is not None and not auth.check_scopes(auth.access_scopes, user):
                self.log.warning("hub user %s may not use this service", user.get("name"))
                raise HTTPError(403)
            if user is None:
                if page and self.request.method in ("GET", "HEAD"):
                    self.redirect(_login_redirect(self, auth))
                    return None
                raise HTTPError(403)
            name = str(user["name"])
            self._kit_hub_user = name
            if kernel:
                kernel_id = self.path_kwargs.get("kernel_id") or "".join(self.path_args[:1])
                if not may_use_kernel(owners, kernel_id, name):
                    self.log.warning(
                        "refused %s of kernel %s to hub user %s: not their page",
                        self.request.method,
                        kernel_id,
                        name,
                    )
                    raise HTTPError(403)
            result = super().prepare(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            # After the kit's own prepare, which sets the visitor's address: on a hub the
            # kernel learns the hub user instead.
            self.request.headers["X-Kit-Client"] = hub_client(name)
            return result

        def _bind_kernel(self, kernel_id: str) -> None:
            owners[kernel_id] = self._kit_hub_user
            super()._bind_kernel(kernel_id)

    HubGated.__name__ = HubGated.__qualname__ = f"Hub{handler.__name__}"
    return HubGated


class HubKitVoila(KitVoila):
    """The kit's Voila behind the hub's login (see the module's docstring)."""

    hub_auth: HubOAuth | None = None

    def init_handlers(self) -> list[tuple[Any, ...]]:
        auth = self.hub_auth
        if auth is None:
            raise RuntimeError("HubKitVoila needs its hub_auth (run kit.hub_service.main)")
        #: kernel id -> the hub user whose page it serves.
        self.kernel_owners: dict[str, str] = {}
        open_routes = tuple(url_path_join(self.server_url, r) for r in NO_HUB_LOGIN)
        kernel_routes = tuple(url_path_join(self.server_url, r) for r in KERNEL_ROUTES)
        render = url_path_join(self.server_url, "/voila/render/")

        class OAuthCallback(HubOAuthCallbackHandler):  # type: ignore[misc]
            """Ends the hub's login: this service's cookie for the hub user, then back to the
            page asked for. With this service's HubOAuth (the token is no longer in the
            environment, where the handler's own default would look)."""

            _hub_auth = auth

        out: list[tuple[Any, ...]] = [
            (url_path_join(self.server_url, "oauth_callback"), OAuthCallback)
        ]
        for pattern, handler, *rest in super().init_handlers():
            if not hasattr(handler, "_bind_kernel") or pattern.startswith(open_routes):
                out.append((pattern, handler, *rest))  # the redirect of "/", the kernel's socket
                continue
            gated = hub_gated(
                handler,
                auth,
                self.kernel_owners,
                page=pattern.startswith(render),
                kernel=pattern.startswith(kernel_routes),
            )
            out.append((pattern, gated, *rest))
        return out


def main(argv: list[str] | None = None) -> int:
    """Start the kit as the hub's service ``$JUPYTERHUB_SERVICE_NAME`` (run by the hub)."""
    from kit.serve import prepare

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--room", type=int, default=0, help="pre-heated participant pages")
    args = parser.parse_args(argv)
    try:
        url = os.environ["JUPYTERHUB_SERVICE_URL"]
        prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    except KeyError as missing:
        print(f"{missing} is not set: the hub starts this as a service", file=sys.stderr)
        return 2
    ip, port = service_address(url)
    public = os.environ.get("KIT_PUBLIC_URL") or None
    launch = prepare(room=args.room, ip=ip, port=port, public_url=public)
    os.environ.update(launch.env)
    # HubOAuth reads the hub's address, the token and the OAuth client from the environment;
    # then the token leaves it, so that no kernel (they inherit the server's environment) has it.
    auth = HubOAuth(api_token=os.environ.pop("JUPYTERHUB_API_TOKEN", ""), cache_max_age=60)
    os.chdir(launch.cwd)  # voila.json is read from the working folder
    HubKitVoila.hub_auth = auth
    voila_args = [*launch.argv[3:], f"--Voila.base_url={prefix}"]
    HubKitVoila.launch_instance(argv=voila_args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
