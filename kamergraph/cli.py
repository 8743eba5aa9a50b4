"""The ``kamergraph`` command: ingest, harvest, query, export, index, dump, validate, stats, serve."""
from __future__ import annotations

import csv
import errno
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .config import SettingError, Settings
from .processes import release_free_memory

if TYPE_CHECKING:
    from kamergraph.graph import GraphStore

EXPORT_FORMATS = {"nquads": "N_QUADS", "trig": "TRIG", "turtle": "TURTLE", "jsonld": "JSON_LD", "ntriples": "N_TRIPLES"}

store_option = click.option(
    "--store", "store", default=None, metavar="DIR|URL",
    help="Store folder (embedded Oxigraph) or SPARQL endpoint URL. Default: $KAMERGRAPH_STORE or var/store.",
)
base_option = click.option("--base-iri", default=None, help="Base IRI of minted IRIs. Default: $KAMERGRAPH_BASE_IRI.")


class Stop(threading.Event):
    """Set when the ingest is to end early; ``signal`` is the signal that asked."""

    signal: int | None = None


def _settings(ctx: click.Context, **overrides) -> Settings:
    return ctx.obj.with_(**overrides)


def _check_store(location: str, *, to_write: bool = False, other_way: str = "") -> None:
    """Refuse, in one line and before anything is made beside it, a store folder that is missing
    (unless the command makes one), a file, or a folder that holds something else."""
    from kamergraph.graph import is_remote

    if is_remote(location):
        return
    path = Path(location)
    where = f"--store {location}"
    if not path.exists():
        if to_write:
            return
        raise click.ClickException(
            f"no store at {location} (from {where} or KAMERGRAPH_STORE, relative to {Path.cwd()}): "
            f"give the folder of a store, or make one with `kamergraph ingest --store {location} PATH...`{other_way}")
    if not path.is_dir():
        raise click.ClickException(f"{location} is a file, not a store folder: give the folder of a store with --store")
    if not (path / "CURRENT").is_file() and (not to_write or any(path.iterdir())):
        raise click.ClickException(
            f"{location} is a folder that holds no store (no Oxigraph files in it): give the folder of a store "
            "with --store" + ("" if to_write else ", or ingest into this one first"))


@contextmanager
def _stopped_by_signals(stop: Stop) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (and ``stop.signal``): the ingest stores the batch in hand and
    ends within seconds. A second one ends the process at once; what was stored stays stored, as
    every batch is one transaction."""

    def handle(number: int, _frame) -> None:
        if stop.is_set():
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        stop.signal = number
        stop.set()
        click.echo(f"\nStopping: the batch in hand is stored, then the ingest ends "
                   f"({signal.Signals(number).name} again to end at once).", err=True)

    previous = {number: signal.signal(number, handle) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def _opened(settings: Settings, read_only: bool = True) -> Iterator[GraphStore]:
    """The configured store, closed (and flushed) on the way out; read-only unless asked. A store
    that cannot be opened, or a remote one that does not answer, ends the command in one line."""
    from kamergraph.graph import is_remote, open_store

    _check_store(settings.store, to_write=not read_only)
    try:
        store = open_store(settings.store, read_only=read_only)
        if is_remote(settings.store):
            store.query("ASK {}")  # that it answers, before anything is done or made for it
    except OSError as error:  # one line, no traceback
        if "lock" in str(error).lower():
            raise click.ClickException(
                f"{settings.store}: another process is writing to this store (another ingest, or a write "
                "through the server); try again when it has finished") from None
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise click.ClickException(f"cannot open the store at {settings.store}: {reason}") from None
    try:
        yield store
    finally:
        store.close()


def _make_store(location: str) -> None:
    """An empty store, made in a child process: RocksDB's threads, once started in the server's
    master process, would be inherited by the workers it forks, which then abort at exit."""
    import multiprocessing

    child = multiprocessing.get_context("spawn").Process(target=_make_store_here, args=(location,))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise click.ClickException(f"could not make a store at {location}")


def _make_store_here(location: str) -> None:
    from kamergraph.graph import open_store

    open_store(location).close()


class _Commands(click.Group):
    """The command group: what a user can cause or meet (a bad setting, a store that does not
    answer, a closed standard output) ends a command in one line, never a traceback."""

    def invoke(self, ctx: click.Context):
        from kamergraph.graph import RemoteStoreError

        try:
            return super().invoke(ctx)
        except click.UsageError as error:  # click would add the usage and a hint: three lines
            where = f"kamergraph {error.ctx.info_name}" if error.ctx and error.ctx.parent else "kamergraph"
            raise _OneLineUsageError(f"{error.format_message()} (`{where} --help` says what it takes)") from None
        except SettingError as error:
            raise click.ClickException(str(error)) from None
        except RemoteStoreError as error:
            raise click.ClickException(
                f"the store at {error}; check that it runs and that --store names its SPARQL endpoint") from None
        except OSError as error:
            if error.errno != errno.EPIPE and not isinstance(error, BrokenPipeError):
                # the machine's, not the command's: a full disk, a file gone, a device failing
                raise click.ClickException(_system_error(error)) from None
            _quiet_after_closed_stdout()
            ctx.exit(0)


def _system_error(error: OSError) -> str:
    """One line for an operating-system error: what failed, on which file when it says so."""
    reason = error.strerror or (str(error).splitlines()[0] if str(error) else type(error).__name__)
    where = f" ({error.filename})" if error.filename else ""
    return f"stopped: {reason}{where}"


class _OneLineUsageError(click.ClickException):
    exit_code = 2  # as click's own usage errors


def _quiet_after_closed_stdout() -> None:
    """The reader of standard output left (``| head``): nothing more to say, and nothing for
    Python to complain about when it flushes standard output on the way out."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


@click.group(cls=_Commands)
@click.version_option(package_name="kamergraph")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Dutch parliamentary written questions (Kamervragen) as a linked-data knowledge graph."""
    ctx.obj = Settings.from_env()


@main.command()
@store_option
@base_option
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--reparse", is_flag=True,
              help="Map and store again the question graphs of pages whose bytes the store already holds "
                   "(after an upgrade that maps pages differently); by default they are skipped. "
                   "Shared entities are only added to: a fresh store remakes them too.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def ingest(ctx, *, store, base_iri, progress, reparse, paths):
    """Ingest Kamervraag pages (files and folders) into the store."""
    from kamergraph.ingest.pipeline import ingest_paths, iter_files

    settings = _settings(ctx, store=store, base_iri=base_iri)
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm

        # Counted in a walk of its own: the ingest takes the files as it goes, never all at once.
        bar = tqdm(total=sum(1 for _ in iter_files(paths)), unit="file", file=sys.stderr)

    def advance(_: Path) -> None:
        if bar is not None:
            bar.update()

    from kamergraph.graph import is_remote
    from kamergraph.indexes import page_build
    from kamergraph.indexes.pages import index_path_for as pages_path
    from kamergraph.indexes.search import SearchIndex, index_path_for

    stop = Stop()
    embedded = not is_remote(settings.store)
    with ExitStack() as done:
        try:
            with _opened(settings, read_only=False) as target, _stopped_by_signals(stop):
                # once the store is open: none for a store that is not
                index = SearchIndex(index_path_for(settings.store))
                try:
                    report = ingest_paths(
                        target, paths, settings, on_file=advance if bar else None, search_index=index,
                        reparse=reparse, stop=stop,
                    )
                finally:
                    index.close()
                    if embedded:  # taken before the store closes, so no web process rebuilds the index meanwhile
                        done.enter_context(page_build.locked(pages_path(settings.store)))
        finally:
            if bar:
                bar.close()
        pages = ""
        if embedded:  # even with nothing new: the index then carries the store's new signature
            release_free_memory()
            how, seconds = page_build.after_ingest_in_child(settings.store, report.graphs)
            pages = f", page index {how} in {seconds:.1f} s"
    for line in report.notices:
        click.echo(f"note: {line}", err=True)
    for line in report.errors:
        click.echo(line, err=True)  # file:line: problem, the form editors jump to
    click.echo(report.summary() + pages)
    if report.interrupted:
        ctx.exit(128 + (stop.signal or signal.SIGINT))  # as a shell reports a command ended by the signal
    ctx.exit(1 if report.errors else 0)


@main.command()
@store_option
@base_option
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="DATE",
              help="Harvest the questions started on or after DATE. Without it: what changed since the last run.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="DATE",
              help="With --since: only questions started before DATE.")
@click.option("--zaak", "zaken", multiple=True, metavar="NUMBER", help="Harvest this zaak (repeatable): 2021Z16860.")
@click.option("--tk-url", default=None, metavar="URL",
              help="The Tweede Kamer's OData API (default: the public gegevensmagazijn).")
@click.option("--ob-url", default=None, metavar="URL",
              help="The officielebekendmakingen repository (default: the public one).")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Keep every raw response in DIR; published documents found there are not fetched again.")
@click.option("--offline", is_flag=True, help="Answer every request from --cache only (map a harvest again).")
@click.option("--rate", type=click.FloatRange(min=0.01), default=None, metavar="N",
              help="Requests a second at most (default 2).")
@click.option("--retries", type=click.IntRange(min=0), default=None, metavar="N",
              help="Tries more after a 5xx, a timeout or an <Error> body, waiting 1, 2, 4 ... s (default 5).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--verbose", "-v", is_flag=True, help="Print each problem and retry as it happens.")
@click.pass_context
def harvest(ctx, *, store, base_iri, since, until, zaken, tk_url, ob_url, cache, offline, rate, retries, progress,
            verbose):
    """Harvest Kamervragen from the official sources into the store."""
    from kamergraph.graph import is_remote
    from kamergraph.indexes.search import SearchIndex, index_path_for
    from kamergraph.ingest.harvest.client import DEFAULT_RATE, DEFAULT_RETRIES, Client
    from kamergraph.ingest.harvest.run import Harvester, Window
    from kamergraph.ingest.harvest.tk import DEFAULT_TK_URL
    from kamergraph.ingest.harvest.zaak import DEFAULT_OB_URL

    if until is not None and since is None:
        raise click.BadParameter("--until needs --since", param_hint="--until")
    if since is not None and until is not None and until <= since:
        raise click.BadParameter("--until must come after --since", param_hint="--until")
    if offline and cache is None:
        raise click.BadParameter("--offline needs --cache DIR", param_hint="--offline")
    settings = _settings(ctx, store=store, base_iri=base_iri)
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(zaken) or None, unit="zaak", file=sys.stderr)
    say = (lambda line: click.echo(line, err=True)) if verbose else (lambda _: None)

    def advance(_: str) -> None:
        if bar is not None:
            bar.update()

    def count(total: int) -> None:  # the API says how many zaken a window holds
        if bar is not None and bar.total is None:
            bar.total = total
            bar.refresh()

    client = Client(rate=rate or DEFAULT_RATE, retries=DEFAULT_RETRIES if retries is None else retries, cache=cache,
                    offline=offline, log=say)
    window = Window(since.date() if since else None, until.date() if until else None, tuple(zaken))
    try:
        with _opened(settings, read_only=False) as target:
            index = SearchIndex(index_path_for(settings.store))  # once the store is open: none for a store that is not
            try:
                harvester = Harvester(target, settings.base_iri, client, tk_url=tk_url or DEFAULT_TK_URL,
                                      ob_url=ob_url or DEFAULT_OB_URL, ingest_time=settings.ingest_time,
                                      search_index=index, log=say,
                                      on_zaak=advance, on_count=count)
                report = harvester.run(window)
            finally:
                index.close()
    finally:
        if bar is not None:
            bar.close()
    if not is_remote(settings.store):
        from kamergraph.indexes import page_build
        from kamergraph.indexes.pages import index_path_for as pages_path

        with page_build.locked(pages_path(settings.store)):
            release_free_memory()
            page_build.after_ingest_in_child(settings.store, report.stored.graphs)
    if not verbose:
        for line in report.problems:
            click.echo(f"note: {line}", err=True)
    for line in report.stored.notices:
        click.echo(f"note: {line}", err=True)
    for line in report.errors:
        click.echo(f"error: {line}", err=True)
    click.echo(report.summary())
    ctx.exit(1 if report.errors else 0)


@main.command()
@store_option
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.argument("name")
@click.pass_context
def query(ctx, store, params, fmt, name):
    """Run a named query (see `kamergraph queries`) or a .rq file."""
    from kamergraph import queries
    from kamergraph.queries.run import run_named, solutions_to_table

    settings = _settings(ctx, store=store)
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        values[key.strip()] = value
    try:
        named = queries.get(name)
        with _opened(settings) as target:
            header, rows = solutions_to_table(run_named(target, named, values))
    except queries.QueryError as error:
        raise click.ClickException(str(error)) from None
    _print_table(header, rows, fmt)


def _print_table(header: list[str], rows: list[list[str]], fmt: str) -> None:
    out = sys.stdout
    if fmt == "json":
        json.dump([dict(zip(header, row, strict=True)) for row in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    else:
        widths = [min(60, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]
        clip = lambda text, width: text if len(text) <= width else text[: width - 1] + "…"  # noqa: E731
        out.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for row in rows:
            out.write("  ".join(clip(c, w).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
        out.write(f"({len(rows)} rows)\n")


@main.command(name="queries")
def list_queries():
    """List the named queries with their parameters."""
    from kamergraph import queries
    for named in queries.published().values():
        click.echo(f"{named.name}: {named.title}")
        for p in named.parameters:
            extra = "required" if p.required else (f"default {p.default}" if p.default else "optional")
            click.echo(f"    --param {p.name}=<{p.type}>  ({extra}) {p.description}")


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="nquads", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File (default: standard output).")
@click.pass_context
def export(ctx, store, fmt, output):
    """Write the whole store as RDF (dataset formats keep the named graphs)."""
    import pyoxigraph

    settings = _settings(ctx, store=store)
    rdf_format = getattr(pyoxigraph.RdfFormat, EXPORT_FORMATS[fmt])
    with _opened(settings) as target:
        if output is None:
            target.dump(sys.stdout.buffer, rdf_format)
            return
        try:
            # A path lets Oxigraph write the file itself, far faster than through a Python file object.
            target.dump(str(output), rdf_format)
        except OSError as error:
            reason = str(error).split(" (os error")[0]
            raise click.ClickException(f"cannot write {output}: {reason}; give a file in a folder that exists "
                                       "and may be written") from None


@main.command()
@store_option
@click.pass_context
def index(ctx, store):
    """Rebuild the full-text search index from the store."""
    from kamergraph.indexes.search import SearchIndex, index_path_for
    from kamergraph.ingest.pipeline import reindex
    from kamergraph.iris import Iris

    settings = _settings(ctx, store=store)
    with _opened(settings) as target:
        search = SearchIndex(index_path_for(settings.store))  # once the store is open: none for a store that is not
        try:
            count = reindex(target, search, Iris(settings.base_iri))
        finally:
            search.close()
    click.echo(f"{count} questions indexed in {search.path}")


@main.command()
@store_option
@click.pass_context
def dump(ctx, store):
    """Write the dumps that /downloads serves (gzipped N-Quads and Turtle) beside the store."""
    from kamergraph.indexes.dumps import write_all

    settings = _settings(ctx, store=store)
    written = write_all(settings.store)
    for file in written.files.values():
        click.echo(f"{written.path(file.name)}: {file.size} bytes, sha256 {file.sha256}")


@main.command()
@store_option
@click.pass_context
def validate(ctx, store):
    """Check every node in the store against the SHACL shapes; list each violation."""
    from kamergraph.ingest.store_checks import validate_store
    from kamergraph.iris import Iris

    settings = _settings(ctx, store=store)
    with _opened(settings) as target:
        violations, checked = validate_store(target, Iris(settings.base_iri))
    for violation in violations:
        click.echo(str(violation))
    click.echo(f"{checked} nodes checked, {len(violations)} violations", err=True)
    ctx.exit(1 if violations else 0)


@main.command()
@store_option
@click.pass_context
def stats(ctx, store):
    """Counts of what the store holds."""
    from kamergraph import queries
    from kamergraph.queries.run import run_named, solutions_to_table

    settings = _settings(ctx, store=store)
    with _opened(settings) as target:
        header, rows = solutions_to_table(run_named(target, queries.get("dataset-counts"), {}))
        click.echo(f"{'triples':<20} {len(target)}")
        click.echo(f"{'named graphs':<20} {len(target.named_graphs())}")
    for name, value in zip(header, rows[0], strict=True) if rows else ():
        click.echo(f"{name:<20} {value}")


@main.command()
@store_option
@base_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=None, type=int,
              help="HTTP worker processes (default: 1; each has its own query processes).")
@click.option("--proxies", "trusted_proxies", default=None, type=int,
              help="Reverse proxies in front whose X-Forwarded-* headers to trust "
                   "(default: $KAMERGRAPH_TRUSTED_PROXIES or 0).")
@click.option("--create", is_flag=True,
              help="Make an empty store when there is none at --store (by default that is an error).")
@click.pass_context
def serve(ctx, *, store, base_iri, host, port, workers, trusted_proxies, create):
    """Serve the SPARQL endpoint and the browse pages."""
    from kamergraph.endpoint.server import serve as run_server
    from kamergraph.graph import is_remote

    settings = _settings(ctx, store=store, base_iri=base_iri, trusted_proxies=trusted_proxies)
    # A mistyped --store is said at once, not served as an empty store. The folder is only looked
    # at, not opened (an ingest may hold it); a new store is made, a remote one asked, here.
    if is_remote(settings.store):
        with _opened(settings):
            pass
    elif create and not (Path(settings.store) / "CURRENT").exists():
        _check_store(settings.store, to_write=True)
        _make_store(settings.store)
    else:
        _check_store(settings.store, other_way=" (or serve an empty one with --create)")
    run_server(settings, host=host, port=port, workers=workers)


if __name__ == "__main__":  # pragma: no cover
    main()
