"""`kazsim host --web`: the game in the students' browsers, through textual-serve.

The host's web server (aiohttp, from textual-serve) gives every browser tab that
opens its page a kazsim of its own: a process on the teacher's computer started
from one fixed command line, `kazsim join ws://127.0.0.1:PORT` (the host's own
WebSocket address, as the host chose it). That kazsim draws with Textual's web
driver into the page (an xterm.js terminal) and opens on the join screen: the
student types the table's code and picks a free side, which go to the host over
the classroom protocol like any `kazsim join`'s. Nothing the browser sends
reaches the command line: the page's address, its query (only two numbers are
read from it, the terminal's size, by textual-serve) and whatever is typed go to
the running kazsim as keys.

Limits, since any computer that can reach the page can start a process:
at most `max_players` kazsims at once (past that, the page says the class is
full), and
a WebSocket from a page served by another site (its `Origin` is not this
host) is refused, and so is a request for another name than this computer's
own (an address, localhost, its host name), which is how a site's page could
otherwise reach it (DNS rebinding). The page itself asks for nothing outside this host (the
template's web font link is left out: a classroom network may have no
internet).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from aiohttp import web

HOST_HEADER = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$")
FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>\s*", re.IGNORECASE)
Handler = Callable[["web.Request"], Awaitable["web.StreamResponse"]]
# Keys work at once, without a click first: once the game has drawn its first screen (the
# page marks the body `-first-byte`), the terminal's input gets the browser's focus, and so
# the game the "focus" it waits for (Textual's web driver starts the app blurred).
FOCUS_SCRIPT = """<script>
  (function focusTheGame() {
    const input = document.querySelector(".xterm-helper-textarea");
    if (input && document.body.classList.contains("-first-byte")) {
      input.focus();
    } else {
      setTimeout(focusTheGame, 50);
    }
  })();
</script>
"""
INSTALL = ("--web needs textual-serve: install kazsim with its web part (in a clone: "
           "pip install -e '.[web]', or pipx install '.[web]'), or add it to the kazsim "
           "you have (pipx inject kazsim textual-serve)")


FULL = "kazsim: the class is full (every seat has its browser tab): ask the teacher\n"


class WebUnavailable(Exception):
    """textual-serve is not installed."""


def http_url(bind: str, port: int) -> str:
    """The page's address to give the students (0.0.0.0: shown as this computer)."""
    host = "127.0.0.1" if bind in ("0.0.0.0", "") else bind
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}"


def player_command(ws_url: str, *, scenario_file: str | None = None,
                   python: str = sys.executable) -> list[str]:
    """The one command every browser tab runs: a `kazsim join` on the host's address, with
    no code (the join screen asks for it). Built from the host's own settings only."""
    command = [python, "-m", "kazsim", "join", ws_url]
    if scenario_file is not None:
        command += ["--scenario", str(Path(scenario_file).resolve())]
    return command


def _page_template(path: Path) -> Callable[[str], str | None]:
    """textual-serve's page, without the link to a web font on the internet, and with the
    focus given to the game once it shows."""

    def load(name: str) -> str | None:
        if name != "app_index.html":
            return None
        page = FONT_LINK.sub("", path.read_text(encoding="utf-8"))
        return page.replace("</body>", FOCUS_SCRIPT + "</body>", 1)

    return load


class WebServer:
    """The page and one kazsim per browser tab (textual-serve's `Server` does the tabs)."""

    def __init__(self, command: Sequence[str], *, title: str = "kazsim",
                 max_players: int = 60) -> None:
        try:
            from textual_serve.server import Server
        except ImportError as exc:
            raise WebUnavailable(INSTALL) from exc
        self.command = list(command)
        self.title = title
        self.max_players = max_players
        self.players = 0  # browser tabs with a kazsim now
        self.started = 0  # every one since the host started
        self.refused = 0
        self.served = Server(shlex.join(self.command), title=title)
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.bind = "127.0.0.1"
        logger = logging.getLogger("textual-serve")
        if not logger.handlers:  # its notes, as the host's own lines (not its banner)
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("kazsim: web: %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.WARNING)
            logger.propagate = False

    def application(self) -> web.Application:
        import aiohttp_jinja2
        import jinja2
        from aiohttp import web

        @web.middleware
        async def same_origin(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not host_ok(request.host):
                return web.Response(status=421, text="open this computer's address (such as "
                                    "http://192.168.1.20:8080), not another name\n")
            if request.path == "/ws" and not self._origin_ok(request):
                return web.Response(status=403, text="not from this page\n")
            return await handler(request)

        app = web.Application(middlewares=[same_origin], client_max_size=4096)
        templates = Path(self.served.templates_path)
        aiohttp_jinja2.setup(app, loader=jinja2.FunctionLoader(
            _page_template(templates / "app_index.html")), autoescape=True)
        app.add_routes([
            web.get("/", self.index),
            web.get("/ws", self.websocket),
            web.get("/download/{key}", self.served.handle_download),  # a file the app sends
            web.static("/static", Path(self.served.statics_path)),
        ])
        return app

    async def start(self, bind: str, port: int) -> int:
        """Listen; the port actually used (port 0 picks a free one)."""
        from aiohttp import web

        runner = web.AppRunner(self.application(), access_log=None, handle_signals=False,
                               shutdown_timeout=3)
        await runner.setup()
        site = web.TCPSite(runner, bind, port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self.runner, self.bind = runner, bind
        addresses = runner.addresses  # the listening sockets': the port that port 0 chose
        self.port = int(addresses[0][1]) if addresses else port
        return self.port

    async def stop(self) -> None:
        """Close the page; each tab's kazsim is told to quit."""
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    # --- requests -----------------------------------------------------------------------------

    def _public_url(self, request: web.Request) -> str:
        """The address the browser used (so a page opened from the room's network points
        its WebSocket there), when it is a plain host[:port]; else the listening one."""
        host = request.host
        if HOST_HEADER.match(host):
            return f"http://{host}"
        return http_url(self.bind, self.port)

    async def index(self, request: web.Request) -> web.StreamResponse:
        import aiohttp_jinja2
        from aiohttp import web

        if self.players >= self.max_players:
            return web.Response(status=503, text=FULL)

        base = self._public_url(request)
        context: dict[str, Any] = {
            "font_size": _font_size(request.query.get("fontsize", "")),
            "app_websocket_url": "ws" + base[len("http"):] + "/ws",
            "config": {"static": {"url": base + "/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        if self.players >= self.max_players:
            self.refused += 1
            return web.Response(status=503, text=FULL)
        self.players += 1
        self.started += 1
        try:
            return await self.served.handle_websocket(request)
        finally:
            self.players -= 1

    @staticmethod
    def _origin_ok(request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser page (a script on this computer)
        return urlsplit(origin).netloc.lower() == request.host.lower()


def host_ok(host: str) -> bool:
    """Whether a request's Host is this computer as a browser in the room names it: an
    address, localhost or this computer's own name. Another name that leads here is a page
    of another site (DNS rebinding), which must not start kazsims and read their screens."""
    if not HOST_HEADER.match(host):
        return False
    try:
        name = urlsplit("//" + host).hostname or ""
    except ValueError:
        return False
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    own = socket.gethostname().lower()
    return name.lower().rstrip(".") in ("localhost", own, own.split(".")[0], f"{own}.local",
                                        socket.getfqdn().lower())


def _font_size(text: str) -> int:
    """The page's font size (`?fontsize=N`), within reason."""
    try:
        size = int(text)
    except ValueError:
        return 16
    return min(max(size, 8), 40)
