"""The ``headwater`` command line: run, validate, predict, export, publish, steps, info (and ``--version``).

Exit codes: 0 success; 2 an invalid pipeline file or data, or a run directory or
device that cannot be used (nothing ran; the first line of the message says which);
1 a failure during the run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from headwater.pipelines.errors import EXIT_INVALID, EXIT_RUN_FAILED, PipelineError
from headwater.pipelines.info import collect_info, headwater_version

app = typer.Typer(
    name="headwater",
    help="Headwater: GPU data science end to end.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"headwater {headwater_version()}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", metavar="",
                                          callback=_print_version, is_eager=True)] = False,
) -> None:
    """Headwater: GPU data science end to end."""


def _fail(exc: BaseException) -> NoReturn:
    """Print ``exc`` for a person and exit with its code (2 invalid input, 1 run failure)."""
    if isinstance(exc, PipelineError):
        err_console.print("[bold red]error:[/bold red] ", end="")
        err_console.print(str(exc), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code)
    err_console.print("[bold red]error during the run:[/bold red] ", end="")
    err_console.print(f"{type(exc).__name__}: {exc}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_RUN_FAILED)


def _metrics_table(metrics: dict[str, dict[str, float]]) -> Table:
    names: list[str] = []
    for split in metrics.values():
        names += [n for n in split if n not in names]
    table = Table(title="metrics (best epoch)")
    table.add_column("split")
    for name in names:
        table.add_column(name, justify="right")
    for split, values in metrics.items():
        if values:
            table.add_row(split, *(f"{values[n]:.4f}" if n in values and values[n] == values[n] else "-" for n in names))
    return table


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="The pipeline YAML file.")],
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a value: --set train.epochs=3 (repeatable).")] = None,
    device: Annotated[str | None, typer.Option("--device", help="cpu, cuda or auto (overrides train.device).")] = None,
    resume: Annotated[bool, typer.Option("--resume", metavar="", help="Continue the last run of this pipeline from its "
                                                                      "checkpoint (the config must be the same but for "
                                                                      "train.epochs, train.device, train.distributed "
                                                                      "and output).")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", metavar="", help="Replace the outputs of an earlier run "
                                                                            "in output.dir.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="", help="Print only errors and the run directory.")] = False,
) -> None:
    """Run a pipeline: read, engineer features, train, evaluate, write the run directory.

    With train.distributed, start it as N ranks: headwater launch -n N -m headwater run FILE
    (rank 0 prints and writes; the other ranks print only their errors).
    """
    from headwater.distributed.group import launched_rank
    from headwater.pipelines.config import load_pipeline
    from headwater.pipelines.progress import RichProgress
    from headwater.pipelines.runner import run_pipeline

    silent = launched_rank() != 0
    quiet = quiet or silent

    try:
        if device is not None and device not in ("cpu", "cuda", "auto"):
            from headwater.pipelines.errors import ConfigError, ConfigIssue

            raise ConfigError(ConfigIssue("train.device", f"--device must be cpu, cuda or auto, got {device!r}",
                                          None, None, "--device"))
        pipeline = load_pipeline(file, set_ or [])
        log = None if quiet else (lambda message: console.print(message, highlight=False, markup=False, soft_wrap=True))
        if quiet:
            result = run_pipeline(pipeline, device=device, resume=resume, overwrite=overwrite)
        else:
            console.print(f"[bold]{escape(pipeline.config.name)}[/bold]: {escape(str(pipeline.config.description or file))}", soft_wrap=True)
            with RichProgress(console, pipeline.config.train.epochs) as progress:
                result = run_pipeline(pipeline, device=device, resume=resume, overwrite=overwrite,
                                      callbacks=progress.callbacks(), log=log)
    except PipelineError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        err_console.print("interrupted; continue with --resume")
        raise typer.Exit(130) from None
    except Exception as exc:  # a failure during the run: report it, exit 1
        _fail(exc)
    if quiet:
        if not silent:
            typer.echo(str(result.run_dir))
        return
    if result.stopped_early:
        console.print(f"early stop after epoch {result.history[-1]['epoch']}")
    console.print(_metrics_table(result.metrics))
    console.print(f"run directory: {result.run_dir}  ({result.seconds:.1f} s)")


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="The pipeline YAML file.")],
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a value, as for run.")] = None,
) -> None:
    """Check a pipeline as run would before training: the file, the data, every step, the splits."""
    from headwater.pipelines.config import load_pipeline
    from headwater.pipelines.preflight import check_data
    from headwater.pipelines.pretrain import prepare

    try:
        pipeline = load_pipeline(file, set_ or [])
        check_data(pipeline)
        prepared = prepare(pipeline)
    except PipelineError as exc:
        _fail(exc)
    cfg, rows = pipeline.config, prepared.rows
    console.print(f"[green]ok[/green]: {escape(str(file))}: {len(cfg.data.sources)} source(s), {len(pipeline.steps)} "
                  f"step(s), target {escape(repr(cfg.target.column))} ({cfg.target.task}), model {cfg.model.type}; "
                  f"rows {rows['train']} train, {rows['validation']} validation, {rows['test']} test; "
                  f"{len(prepared.layout.numeric) + len(prepared.layout.categorical)} feature column(s)",
                  highlight=False, soft_wrap=True)


@app.command()
def predict(
    run_dir: Annotated[Path, typer.Argument(help="A finished run directory.")],
    data: Annotated[Path, typer.Argument(help="CSV or Parquet file to predict on.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write predictions here (.parquet or .csv).")] = None,
) -> None:
    """Predict with a run's fitted transforms and best model."""
    from headwater.pipelines.predict import predict as _predict

    try:
        table = _predict(run_dir, data, out)
    except Exception as exc:  # PipelineError exits 2 or 1 by its kind, anything else 1
        _fail(exc)
    if out is not None:
        console.print(f"{table.num_rows} predictions written to {out}")
    else:
        typer.echo(table.to_pandas().to_csv(index=False), nl=False)


@app.command()
def export(
    run_dir: Annotated[Path, typer.Argument(help="A finished run directory.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (e.g. model.onnx).")],
    format_: Annotated[str, typer.Option("--format", help="The format to write: onnx.")] = "onnx",
    model_only: Annotated[bool, typer.Option("--model-only", metavar="", help="Export the model alone (inputs: the "
                                             "numeric feature matrix and the category codes), for pipelines whose "
                                             "steps have no ONNX form.")] = False,
    opset: Annotated[int, typer.Option("--opset", help="ONNX opset version (13 to 21).")] = 17,
) -> None:
    """Export a run as one model: raw data columns in, the fitted steps and the model, label out."""
    try:
        if format_ != "onnx":
            from headwater.pipelines.errors import ConfigError, ConfigIssue

            raise ConfigError(ConfigIssue("--format", f"--format {format_!r} is not supported; the format is onnx",
                                          None, None, "--format"))
        from headwater.onnx.errors import InexpressibleStepError
        from headwater.onnx.pipeline.run_export import export_run

        try:
            proto = export_run(run_dir, out, model_only=model_only, opset_version=opset)
        except (InexpressibleStepError, ImportError) as exc:
            err_console.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(EXIT_INVALID) from None
    except typer.Exit:
        raise
    except Exception as exc:  # PipelineError exits 2 or 1 by its kind, anything else 1
        _fail(exc)
    inputs = ", ".join(i.name for i in proto.graph.input)
    outputs = ", ".join(o.name for o in proto.graph.output)
    console.print(f"wrote {out}: inputs {inputs}; outputs {outputs}", highlight=False, markup=False, soft_wrap=True)


@app.command()
def publish(
    run_dir: Annotated[Path, typer.Argument(help="A finished run directory (or a hub artifact to republish).")],
    name: Annotated[str, typer.Option("--name", help="The artifact's name.")],
    out: Annotated[Path, typer.Option("--out", help="The artifact folder to create, or a .zip file.")],
    version: Annotated[str, typer.Option("--version", help="Recorded in meta.json.")] = "1.0",
    description: Annotated[str | None, typer.Option("--description", help="Defaults to the config's.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", metavar="", help="Replace what is at --out.")] = False,
) -> None:
    """Make a hub artifact from a run: weights, fitted preprocessing, config and a hashed meta.json."""
    from headwater.hub.errors import HubError
    from headwater.hub.publish import publish as _publish

    try:
        path = _publish(run_dir, name, out, version=version, description=description, overwrite=overwrite)
    except (HubError, ValueError) as exc:  # a taken --out, a run that cannot be published: nothing was written
        err_console.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_INVALID) from None
    except Exception as exc:  # PipelineError exits 2 or 1 by its kind, anything else 1
        _fail(exc)
    console.print(f"published {escape(name)} to {escape(str(path))}; load it with hw.hub.load({str(path)!r})",
                  highlight=False, soft_wrap=True)


@app.command()
def steps(name: Annotated[str | None, typer.Argument(help="One step, e.g. normalize.")] = None) -> None:
    """List the feature steps a pipeline can use, with their options."""
    from headwater.pipelines.steps import STEPS

    names = sorted(STEPS) if name is None else [name]
    if name is not None and name not in STEPS:
        import difflib

        close = difflib.get_close_matches(name, list(STEPS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        err_console.print(f"unknown step {name!r}{hint} Steps are {', '.join(sorted(STEPS))}", markup=False,
                          soft_wrap=True)
        raise typer.Exit(EXIT_INVALID)
    for step_name in names:
        cls = STEPS[step_name]
        summary = " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())
        console.print(f"[bold]{step_name}[/bold]  {summary}", highlight=False, soft_wrap=True)
        fields = getattr(cls.Options, "model_fields", {})
        if "root" in fields:
            console.print("    {new_column: expression, ...}", highlight=False, markup=False)
        for field_name, field in fields.items():
            if field_name == "root":
                continue
            default = "required" if field.is_required() else f"default {field.get_default(call_default_factory=True)!r}"
            about = f"  {field.description}" if field.description else ""
            console.print(f"    {field_name}: {default}{about}", highlight=False, markup=False, soft_wrap=True)
        for line in (cls.__doc__ or "").splitlines():
            if line.strip().startswith("YAML: "):
                console.print(f"    e.g. {line.strip()[6:].strip('`')}", highlight=False, markup=False, soft_wrap=True)


@app.command()
def info(as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False) -> None:
    """Show the version, the chosen device and why, library versions and the GPU."""
    data = collect_info()
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    # every value is escaped: rich would read `pip install "headwater[gpu]"` as markup and drop [gpu]
    table = Table(show_header=False, box=None)
    table.add_row("headwater", escape(data["headwater"]))
    table.add_row("python", escape(data["python"]))
    table.add_row("device", f"[bold]{escape(data['device'])}[/bold]  ({escape(data['device_reason'])})")
    for name, ver in data["packages"].items():
        table.add_row(name, escape(ver))
    cuda = data["cuda"]
    if cuda["available"] and "name" in cuda:
        mem = cuda["total_memory_bytes"] / 2**30
        table.add_row("gpu", escape(f"{cuda['name']}, {mem:.1f} GiB, compute {cuda['compute_capability']}"))
    else:
        table.add_row("gpu", f"none: {escape(str(cuda['status']))}")
    console.print(table)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True,
                                "allow_interspersed_args": False})
def launch(
    ctx: typer.Context,
    script: Annotated[str, typer.Argument(help="The Python script every rank runs (its arguments follow), or a "
                                               "module with -m.")],
    nprocs: Annotated[int, typer.Option("-n", "--nprocs", help="Number of ranks.")] = 1,
    module: Annotated[bool, typer.Option("-m", "--module", metavar="", help="Run SCRIPT as a module (python -m), "
                                         "e.g. -m headwater run pipeline.yaml.")] = False,
    mpi: Annotated[bool | None, typer.Option("--mpi/--no-mpi", help="Use mpiexec (default: when found).")] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Stop every rank after this many seconds.")] = None,
) -> None:
    """Start N ranks of a script: mpiexec where available, else N processes with RANK/WORLD_SIZE set.

    Options come before the script; everything after it is the script's own arguments.
    """
    from headwater.distributed.launch import launch as run_ranks

    try:
        code = run_ranks(nprocs, script, list(ctx.args), use_mpi=mpi, timeout=timeout, module=module)
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_INVALID) from None
    raise typer.Exit(code)


def main() -> None:
    """Entry point of the ``headwater`` console script."""
    app()


if __name__ == "__main__":
    main()
