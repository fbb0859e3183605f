"""What every command of the CLI shares: the lazily imported library, the one place errors
become messages and exit codes, and the options that say where a command reads the graph."""
from __future__ import annotations

import json
import sys

import click

from kg.core.errors import BuildFailed, KGError


class _Library:
    """:mod:`kg.api`, imported when a command first needs it: the registries above are all
    `govkg --help` needs, and the library would take it from 0.05 s to 0.3 s."""

    def __getattr__(self, name):
        import kg.api

        return getattr(kg.api, name)


api = _Library()

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3


class GovkgGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BuildFailed as error:
            for failure in error.errors:
                click.echo(f"error: {failure}", err=True)
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_ERROR)
        except KGError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            # The reader went away (`govkg queries | head`): stop quietly, as other tools do.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except Exception as error:  # noqa: BLE001 — the one place unexpected errors become one line
            if (ctx.obj or {}).get("debug"):
                raise
            where = f" ({error.filename})" if getattr(error, "filename", None) else ""
            click.echo(f"error: unexpected {type(error).__name__}{where}: {error} "
                       "(a bug in govkg: run again with `govkg --debug …` for the traceback and report it)", err=True)
            ctx.exit(EXIT_ERROR)


_NO_REGION_HINT = "(`govkg build` lists the documents whose region was not determined)"


def where_options(command):
    """--graph / --store / --endpoint: where a query or analysis command reads the graph."""
    for option in reversed([
        click.option("--graph", "graph_path", type=click.Path(dir_okay=False),
                     help="A graph file (.ttl, .trig, .nt, .jsonld) instead of the store."),
        click.option("--store", "store", type=click.Path(file_okay=False),
                     help="The build's store [default: out/store if it exists, else out/govkg.ttl]."),
        click.option("--endpoint", help="A SPARQL 1.1 Protocol endpoint URL instead (any triple store)."),
        click.option("--user", help="User for the endpoint (Basic or Digest)."),
        click.option("--password", help="Password for the endpoint."),
    ]):
        command = option(command)
    return command


def format_option(*choices: str, default: str = "text", what: str = "the output"):
    """``--format`` for what a command prints, with ``--json`` kept (hidden, with a deprecation
    warning on stderr) as the older spelling of ``--format json``; the command receives ``fmt``."""
    import functools

    def decorate(command):
        @functools.wraps(command)
        def wrapper(*args, as_json: bool = False, fmt: str = default, **kwargs):
            if as_json:
                click.echo("warning: --json is deprecated and goes in the next release; use --format json", err=True)
            return command(*args, fmt="json" if as_json else fmt, **kwargs)

        wrapper = click.option("--json", "as_json", is_flag=True, hidden=True, help="Same as --format json.")(wrapper)
        return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                            help=f"How {what} is printed.")(wrapper)
    return decorate


def query_limit_options(command):
    """--timeout / --allow-service: the limits of `sparql` and `serve`."""
    command = click.option("--allow-service", is_flag=True,
                           help="Let SERVICE clauses fetch from the endpoints they name (off: such a query is refused).")(command)
    return click.option("--timeout", type=click.FloatRange(min=0), default=30, show_default=True,
                        help="Seconds a query may run (0: no limit).")(command)


def _where(graph_path, store, endpoint, user, password) -> dict:
    return {"graph_path": graph_path, "store": store, "endpoint": endpoint, "user": user, "password": password}


def _json(data) -> str:
    import dataclasses

    def plain(value):
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return json.dumps(plain(data), ensure_ascii=False, indent=1)
