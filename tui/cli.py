"""The ``annotate`` commands (click); the entry point is ``tui.launch.main``.

``annotate FILE`` opens the TUI; the other commands are headless and never import
Textual. Exit status: 0 done, 2 bad usage or bad input, 1 failure of the environment.
Errors are one line on stderr naming the file and the problem, never a traceback.
"""

from __future__ import annotations

import os
import sys

import click

from annotations import __version__
from tui.launch import (
    EXIT_BAD_INPUT, EXIT_ENVIRONMENT, apply_max_size, check_output_or_exit, fail, main, open_reader,
    open_store_or_exit, printable, protected_files, read_document,
)


OPEN_OPTIONS = ("--labels",)  # options of ``open`` that may come before the file


class DefaultCommandGroup(click.Group):
    """A group where ``annotate FILE`` means ``annotate open FILE``."""

    default_command = "open"

    def parse_args(self, ctx, args):
        # Find the first non-option argument; if it is not a command, insert the default.
        index = 0
        while index < len(args):
            arg = args[index]
            if arg == "--":
                break
            if arg.split("=")[0] in OPEN_OPTIONS:  # annotate --labels FILE ARTICLE
                args = args[:index] + [self.default_command] + args[index:]
                break
            if arg.startswith("-") and arg != "-":
                index += 2 if arg in ("--db", "--max-size") else 1
                continue
            if arg not in self.commands:
                args = args[:index] + [self.default_command] + args[index:]
            break
        return super().parse_args(ctx, args)


db_option = click.option(
    "--db",
    "db_after",
    metavar="PATH",
    default=None,
    help="TinyDB file to use (also ANNOTATE_DB).",
)


def resolve_db(ctx: click.Context, db_after: str | None) -> str | None:
    return db_after or (ctx.obj or {}).get("db")


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH", default=None, help="TinyDB file to use (also ANNOTATE_DB).")
@click.option("--max-size", metavar="SIZE", default=None,
              help="Refuse any input larger than this (default 50MB; also max_size in config.toml).")
@click.version_option(__version__, "--version", prog_name="annotate")
@click.pass_context
def cli(ctx: click.Context, db: str | None, max_size: str | None) -> None:
    """Read a news article critically: entities, claims, speakers, reliability notes,
    and your own annotations, saved at once.

    \b
    annotate FILE            open the reader/annotator
    annotate analyze FILE    print the machine analysis as JSON
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    apply_max_size(max_size)


@cli.command("open")
@click.argument("files", nargs=-1, required=True, metavar="FILE_OR_FOLDER...")
@click.option("--labels", "labels_file", metavar="LABELS.toml", default=None, help="Label set (TOML) to annotate with.")
@db_option
@click.pass_context
def open_command(ctx: click.Context, files: tuple[str, ...], labels_file: str | None, db_after: str | None) -> None:
    """Open FILE in the reader/annotator (the default command); several files or a folder
    open the library (a list of the articles; enter reads one)."""
    open_reader(list(files), labels_file, resolve_db(ctx, db_after))


@cli.command("analyze")
@click.argument("files", nargs=-1, required=True, metavar="FILE_OR_FOLDER...")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the analysis cache.")
@click.option("--indent", type=int, default=2, show_default=True, help="JSON indentation (0: one line).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes for spaCy's nlp.pipe (several documents).")
@click.option("-o", "--output", metavar="OUT.jsonl", default=None, help="Write one JSON line per document here.")
@click.option("--out-dir", metavar="DIR", default=None, help="Write one JSON file per document into DIR.")
@click.option("--cluster", metavar="tcp://HOST:PORT|local:N", default=None,
              help="Analyse on a Dask cluster (a running scheduler, or N local worker processes).")
@click.pass_context
def analyze_command(ctx: click.Context, files: tuple[str, ...], no_cache: bool, indent: int, jobs: int,
                    output: str | None, out_dir: str | None, cluster: str | None) -> None:
    """Print the machine analysis of FILE as JSON ("-" reads standard input).

    \b
    Several files or a folder: one JSON line per document on standard output (or -o
    OUT.jsonl, or one file each with --out-dir), a progress bar on standard error;
    documents already analysed come from the cache, a bad file is reported and the
    others are still written (exit 2 at the end).
    """
    if len(files) == 1 and output is None and out_dir is None and cluster is None and not os.path.isdir(files[0]):
        from annotations.analysis import analyze

        document = read_document(files[0])
        result = analyze(document, use_cache=not no_cache)
        from annotations.jsonout import dump

        # in pieces (a large article's JSON is hundreds of MB); C1/DEL from the text as \u escapes
        dump(result, click.get_text_stream("stdout"), indent=indent or None)
        return
    if output is not None and out_dir is not None:
        fail("-o and --out-dir: choose one", EXIT_BAD_INPUT)
    from tui.batch_cli import run_batch

    sys.exit(run_batch(list(files), jobs=jobs, use_cache=not no_cache, output=output, out_dir=out_dir,
                       indent=indent, db=resolve_db(ctx, None), cluster=cluster))


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@db_option
@click.pass_context
def list_command(ctx: click.Context, as_json: bool, db_after: str | None) -> None:
    """List the documents in the store, with annotation counts."""
    store = open_store_or_exit(resolve_db(ctx, db_after))
    rows = store.documents()
    if as_json:
        from annotations.jsonout import dumps

        click.echo(dumps(rows, indent=2))  # paths may hold C1/DEL: \u escapes
        return
    if not rows:
        click.echo("No documents in the store yet.")
        return
    click.echo(f"{'annotations':>11}  {'orphans':>7}  {'sha256':12}  path")
    for row in rows:
        click.echo(
            f"{row['annotations']:>11}  {row.get('orphans', 0):>7}  {row['sha256'][:12]}  {printable(row['path'])}"
        )


@cli.command("forget")
@click.argument("file")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
@click.pass_context
def forget_command(ctx: click.Context, file: str, yes: bool, db_after: str | None) -> None:
    """Remove FILE's document and its annotations from the store."""
    store = open_store_or_exit(resolve_db(ctx, db_after))
    records = store.find_documents(file)
    if not records:
        fail(f"{file}: not in the store ({store.path})", EXIT_BAD_INPUT)
    count = sum(store.count_annotations(r["sha256"]) for r in records)
    if not yes:
        if not sys.stdin or not sys.stdin.isatty():
            fail(f"{file}: refusing to forget without --yes (no terminal to ask)", EXIT_BAD_INPUT)
        click.confirm(
            f"Forget {printable(file)} and its {count} annotation(s)?", abort=True, err=True
        )
    for record in records:
        store.forget(record["sha256"])
    click.echo(f"Forgot {printable(file)} ({count} annotation(s)).")


def store_folder_usable(path) -> bool:
    """False when the store's folder cannot be made (a file in the way): that failure of
    the environment (exit 1) is reported by the export itself, before 'not in the store'."""
    from pathlib import Path

    folder = Path(path).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK)


@cli.command("export")
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["json", "w3c", "jsonl"]), default="json", show_default=True)
@click.option("-o", "--output", metavar="OUT", default=None, help="Write here instead of standard output.")
@click.option("--include-suggestions", is_flag=True, help="Add the machine's entities, claims and notes.")
@db_option
@click.pass_context
def export_command(ctx, file, fmt, output, include_suggestions, db_after) -> None:
    """Export the saved annotations of FILE."""
    from annotations.export import ExportError, export_document

    db = resolve_db(ctx, db_after)
    protected = protected_files(db, [file], what="the article itself")
    if output is not None:
        check_output_or_exit(output, protected)
    document = read_document(file)
    store = open_store_or_exit(db)
    if (not include_suggestions and store_folder_usable(store.path)
            and store.document(document.sha256) is None and not store.find_documents(file)):
        fail(f"{file}: not in the store ({store.path}): nothing to export; open it with 'annotate FILE' "
             "to annotate it, or add --include-suggestions for the machine's suggestions", EXIT_BAD_INPUT)
    analysis = None
    if include_suggestions:
        from annotations.analysis import analyze

        analysis = analyze(document)
    try:
        text = export_document(store, document, fmt, analysis=analysis)
    except ExportError as error:
        fail(str(error), EXIT_BAD_INPUT)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from annotations.atomic import OutputError, write_atomically

    try:
        write_atomically(output, text, protected=protected)
    except OutputError as error:
        fail(str(error), EXIT_BAD_INPUT)
    except OSError as error:
        fail(f"{output}: cannot write ({error.strerror or error})", EXIT_ENVIRONMENT)
    click.echo(f"Wrote {printable(output)}", err=True)


@cli.command("import")
@click.argument("file")
@click.argument("source")
@click.option("--keep-orphans", is_flag=True, help="Import annotations that cannot be placed as orphans.")
@db_option
@click.pass_context
def import_command(ctx, file, source, keep_orphans, db_after) -> None:
    """Import annotations (a json or w3c export) into the store for FILE; all or nothing."""
    from annotations.export import ImportError_, import_annotations

    document = read_document(file)
    store = open_store_or_exit(resolve_db(ctx, db_after))
    try:
        report = import_annotations(store, document, source, keep_orphans=keep_orphans)
    except ImportError_ as error:
        fail(str(error), EXIT_BAD_INPUT)
    click.echo(printable(report.summary()))  # it names the files: never raw escapes


@cli.command("paths")
@db_option
@click.pass_context
def paths_command(ctx: click.Context, db_after: str | None) -> None:
    """Print where the database, the analysis cache and the config live."""
    from annotations import paths

    click.echo(f"database: {paths.db_path(resolve_db(ctx, db_after))}")
    click.echo(f"cache:    {paths.cache_dir()}")
    click.echo(f"config:   {paths.config_dir()}")


if __name__ == "__main__":  # pragma: no cover
    main()
