"""The ``headwater`` command line."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from headwater.pipelines.info import collect_info

app = typer.Typer(
    name="headwater",
    help="Headwater: GPU data science end to end.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()


@app.callback()
def _root() -> None:
    """Headwater: GPU data science end to end."""


@app.command()
def info(as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON.")) -> None:
    """Show the version, the chosen device and why, library versions and the GPU."""
    data = collect_info()
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    table = Table(show_header=False, box=None)
    table.add_row("headwater", data["headwater"])
    table.add_row("python", data["python"])
    table.add_row("device", f"[bold]{data['device']}[/bold]  ({data['device_reason']})")
    for name, ver in data["packages"].items():
        table.add_row(name, ver)
    cuda = data["cuda"]
    if cuda["available"] and "name" in cuda:
        mem = cuda["total_memory_bytes"] / 2**30
        table.add_row("gpu", f"{cuda['name']}, {mem:.1f} GiB, compute {cuda['compute_capability']}")
    else:
        table.add_row("gpu", f"none: {cuda['status']}")
    console.print(table)


def main() -> None:
    """Entry point of the ``headwater`` console script."""
    app()


if __name__ == "__main__":
    main()
