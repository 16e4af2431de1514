"""How ``annotate`` starts: the entry point, and opening the reader.

``annotate FILE``, the command users run most, opens the reader without importing click
(about 15 ms of the time to first paint); every other command line goes to the click
commands in ``tui/cli.py``, which open the reader with the same :func:`open_reader`.

Exit status: 0 done, 2 bad usage or bad input, 1 failure of the environment. Errors are
one line on stderr naming the file and the problem, never a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from annotations.document import Document, DocumentError
from annotations.errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, StoreError

EXIT_OK = 0

# The click commands of tui/cli.py (a test keeps the two lists equal): a lone argument
# that is not one of them is a file to open.
COMMAND_NAMES = ("open", "analyze", "list", "forget", "export", "import", "paths")


def complain(message: str) -> None:
    """One line on stderr: ``annotate: `` and the message, made safe for the terminal."""
    # sys.stderr escapes what its encoding cannot show (backslashreplace): no crash here.
    print(f"annotate: {printable(message)}", file=sys.stderr, flush=True)


def fail(message: str, code: int) -> NoReturn:
    complain(message)
    sys.exit(code)


def printable(text: str) -> str:
    """Make text from outside (file names, reasons) safe for a terminal line."""
    return "".join(
        ch if ch.isprintable() or ch == " " else f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
        for ch in text
    )


def read_document(path: str, db: str | None = None) -> Document:
    """One article: text, or an HTML page through trafilatura (its extraction archived
    beside the database, so the same page always gives the same text)."""
    from annotations.html import ExtractionArchive, archive_dir
    from annotations.inputs import load_input

    try:
        return load_input(path, ExtractionArchive(archive_dir(db)))
    except DocumentError as error:
        fail(str(error), EXIT_BAD_INPUT)


def protected_files(db: str | None, inputs: list[str], what: str = "an input of this command") -> list:
    """What an output of a command must never replace: the database and the files
    beside it, and the command's own inputs (``what`` names them in the refusal)."""
    from annotations.paths import store_files

    import os

    # "-" is standard input: compared by what it is (fd 0), so `analyze - -o F < F` is refused
    stdin = [(f"{what} (standard input)", "/dev/stdin")] if "-" in inputs and os.path.exists("/dev/stdin") else []
    return store_files(db) + [(f"{what} ({path})", path) for path in inputs if path != "-"] + stdin


def check_output_or_exit(path: str, protected: list) -> None:
    """Refuse a bad output target before any work (exit 2, one line)."""
    from annotations.atomic import OutputError, check_target

    try:
        check_target(path, protected)
    except OutputError as error:
        fail(str(error), EXIT_BAD_INPUT)


def apply_max_size(option: str | None = None) -> None:
    """The size limit of every input: ``--max-size``, else ``max_size`` in config.toml,
    else the default (50 MB). A value that is not a size: exit 2, one line."""
    from annotations.document import parse_size, set_max_input_bytes

    source, value = "--max-size", option
    if value is None:
        from tui.config import CONFIG_FILENAME, ConfigError, load_config

        try:
            value = load_config().get("max_size")
        except ConfigError:  # the reader reports a broken config; the default limit holds
            value = None
        source = f"{CONFIG_FILENAME}: max_size"
    if value is None:
        return
    try:
        set_max_input_bytes(parse_size(value))
    except ValueError as error:
        fail(f"{source}: {error}", EXIT_BAD_INPUT)


def open_store_or_exit(db: str | None):
    from annotations.store import open_store

    try:
        store = open_store(db)
    except StoreError as error:
        fail(str(error), error.exit_code)
    for warning in store.warnings:  # records skipped as invalid (kept as they are in the file)
        complain(f"warning: {warning}")
    return store


def read_store_file_or_exit(db: str | None):
    from annotations.store_file import read_store_file

    try:
        return read_store_file(db)
    except StoreError as error:
        fail(str(error), error.exit_code)


def open_reader(files: list[str], labels_file: str | None = None, db: str | None = None) -> NoReturn:
    """``annotate FILE``: the reader; several files or a folder: the library."""
    if "-" in files:
        fail("-: the reader needs a file (standard input is only read by 'annotate analyze -')", EXIT_BAD_INPUT)
    document = None
    if len(files) == 1 and not os.path.isdir(files[0]):
        document = read_document(files[0], db)
    else:
        from annotations.inputs import expand, names_a_stream

        for path in files:  # the library reads each article again when it is opened
            if names_a_stream(path):
                fail(f"{path}: a stream can be read only once: open it alone (annotate {path})", EXIT_BAD_INPUT)
        expanded = expand(list(files))
        if not expanded.paths:  # one line: the first reason, else a general one
            reason = str(expanded.errors[0]) if expanded.errors else f"{' '.join(files)}: no articles to open"
            fail(reason, EXIT_BAD_INPUT)
        for error in expanded.errors + expanded.skipped:
            complain(str(error))
    labels = None
    if labels_file is not None:
        from annotations.labels import LabelError, load_labels

        try:
            labels = load_labels(labels_file)
        except LabelError as error:
            fail(str(error), EXIT_BAD_INPUT)
    if document is not None:
        # The database file is checked now (exit 2 for a corrupt one, before any screen);
        # TinyDB and the rest of the store load right after the reader's first paint.
        checked = read_store_file_or_exit(db)
        from tui.app import AnnotateApp

        app = AnnotateApp(document, store_file=checked, labels=labels)
    else:
        store = open_store_or_exit(db)
        from tui.app import AnnotateApp

        app = AnnotateApp(None, store, labels=labels, paths=expanded.paths)
    app.run()
    if app.store is not None:
        app.store.close()
    if app.store_error is not None:
        fail(str(app.store_error), app.store_error.exit_code)
    sys.exit(app.return_code or EXIT_OK)


def is_plain_open(args: list[str]) -> bool:
    """``annotate FILE`` and nothing else."""
    return len(args) == 1 and not args[0].startswith("-") and args[0] not in COMMAND_NAMES


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command; failures of the environment become one line and exit 1."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        if is_plain_open(args):
            apply_max_size()
            open_reader(args)
        else:
            from tui.cli import cli

            cli.main(args=args, prog_name="annotate", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except StoreError as error:
        # A save that fails mid-command (disk full, lock held too long) from any command
        # that writes (import, export after a re-anchor, forget): one line, its own code.
        fail(str(error), error.exit_code)
    except OSError as error:
        where = f"{error.filename}: " if getattr(error, "filename", None) else ""
        fail(f"{where}{error.strerror or error}", EXIT_ENVIRONMENT)


if __name__ == "__main__":  # pragma: no cover
    main()
