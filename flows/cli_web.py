"""``newsflow web [--host H] [--port P] [--token T]``: serve the search page (web/)."""

from __future__ import annotations

import ipaddress

import typer
from rich.console import Console

from schemas.settings import get_settings

console = Console()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def web_command(
    host: str | None = typer.Option(
        None, "--host", help="Address to bind (default NEWSFLOW_WEB_HOST, 127.0.0.1)."
    ),
    port: int | None = typer.Option(None, "--port", help="Port (default NEWSFLOW_WEB_PORT, 8000)."),
    token: str | None = typer.Option(None, "--token", help="Access token (default NEWSFLOW_WEB_TOKEN)."),
    no_token: bool = typer.Option(False, "--no-token", help="Serve beyond loopback without a token."),
) -> None:
    """Serve the search page: full text, facets, attention over time, articles, export."""
    import uvicorn

    from web.app import create_app

    updates = {
        k: v for k, v in (("web_host", host), ("web_port", port), ("web_token", token)) if v is not None
    }
    settings = get_settings().model_copy(update=updates)
    if not is_loopback(settings.web_host) and not settings.web_token and not no_token:
        console.print(
            f"[red]{settings.web_host} is reachable beyond this machine: give --token "
            "(or NEWSFLOW_WEB_TOKEN), or --no-token to serve every article to anyone who can reach it.[/red]"
        )
        raise typer.Exit(2)
    url = f"http://{settings.web_host}:{settings.web_port}/"
    console.print(f"newsflow search page: {url}" + ("?token=..." if settings.web_token else ""))
    uvicorn.run(create_app(settings), host=settings.web_host, port=settings.web_port, log_level="warning")
