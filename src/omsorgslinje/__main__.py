"""Entry point: `omsorgslinje` and `python -m omsorgslinje` (`run`; tests call `main`).

Turns every error into a short Norwegian message and an exit code; never a traceback, never
an answer in a message.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import NoReturn


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C before `main` has its handlers: a word and code 130, never a traceback."""
    try:
        os.write(2, b"Avbrutt.\n")
    finally:
        os._exit(130)


# the first thing this module does: nothing typed is lost yet, so a quiet exit is right
if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, _interrupted_while_starting)

# Exit codes (README, «Avslutningskoder»): 0 done, 1 a file or standard output could not be
# written, 2 bad input, 130 Ctrl-C (128 + the signal otherwise), 70 an internal error (ours).
INTERNAL_ERROR = 70


def _usage_message(exc: Exception) -> str:
    import click

    if isinstance(exc, click.exceptions.NoSuchOption):
        msg = f"Ukjent valg: {exc.option_name}."
        if exc.possibilities:
            msg += " Mente du " + " eller ".join(sorted(exc.possibilities)) + "?"
        return msg
    if isinstance(exc, click.exceptions.MissingParameter):
        name = exc.param.human_readable_name if exc.param else "et argument"
        return f"Mangler {name}."
    if isinstance(exc, click.exceptions.BadOptionUsage):
        return f"{exc.option_name} trenger en verdi."
    if isinstance(exc, click.exceptions.BadParameter):
        name = exc.param.human_readable_name if exc.param else "verdien"
        return f"Ugyldig verdi for {name}."
    if isinstance(exc, click.exceptions.NoSuchOption | click.exceptions.UsageError):
        text = str(exc.message)
        if text.startswith("No such command"):
            return _unknown_command(exc)
        if "Got unexpected extra argument" in text:
            return "For mange argumenter: " + text.split("(", 1)[-1].rstrip(")") + "."
        return text
    return str(exc)


def _unknown_command(exc: Exception) -> str:
    """«Ukjent kommando «opdager». Mente du «oppdager»?» (the closest commands of the group)."""
    import difflib
    import re

    found = re.search(r"No such command '([^']*)'", str(getattr(exc, "message", exc)))
    name = found.group(1) if found else ""
    msg = f"Ukjent kommando «{name}»."
    ctx = getattr(exc, "ctx", None)
    try:
        names = list(ctx.command.list_commands(ctx)) if ctx is not None else []
    except Exception:
        names = []
    close = difflib.get_close_matches(name, names, n=2, cutoff=0.6)
    close += [n for n in names if n.startswith(name) and name and n not in close]
    if close:
        msg += " Mente du " + " eller ".join(f"«{c}»" for c in close[:2]) + "?"
    return msg


def _fast_path(args: list[str]) -> int | None:
    """Answer `--help` and `--version` without importing Typer (start-up is budgeted)."""
    if tuple(args) in (("--version",), ("-V",)):
        from . import __version__
        from .output import write_stdout

        write_stdout(f"omsorgslinje {__version__}\n")
        return 0
    if len(args) > 1 or (args and not args[0].startswith("-")):
        return None  # a command: no need for the stored help (nor its module)
    from ._help import HELP_ARGS, stored

    if tuple(args) in HELP_ARGS:
        text = stored()
        if text is not None:
            from .output import write_stdout

            write_stdout(text)
            return 0
    return None


def _stderr(text: str) -> None:
    """A last message when even the console module may be half imported."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _reopen_closed_stdout() -> None:
    """Started with standard output closed (`>&-`): hold fd 1 with /dev/null, so that no file
    the tool opens can take its number, and let writing the document there fail clearly."""
    if sys.stdout is not None:
        return
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        if fd != 1:
            os.dup2(fd, 1)
            os.close(fd)
    except OSError:
        pass
    from . import output

    output.STDOUT_CLOSED = True
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115


def run() -> NoReturn:
    """The console script and `python -m omsorgslinje`: `main`, then a fast exit.

    Python's cyclic garbage collector is off while the tool starts: importing and building the
    flow make hundreds of thousands of objects, none of them garbage, and the collector's passes
    over them cost 10–20 ms of a replay (measured: 148 → 130 ms). A command without questions
    ends soon after (its memory is the same either way: 53 MB checking a flow of 10,000 steps);
    an interview turns the collector on again after the first answer (ui/conduct.py), with the
    objects of the start frozen out of its passes.
    """
    import gc

    gc.disable()
    _exit(main())


def _exit(code: int) -> NoReturn:
    """End the process with `code`, skipping the interpreter's teardown when nothing needs it.

    The teardown frees every module and object one by one: 15–20 ms of a replay, for nothing.
    By the time `main` returns, every file the tool writes has been written, synced and closed
    (output.py works on file descriptors, never a buffered file), the cache folder is closed
    (`_close_cache`), a draft's lock is released (run.py) and standard out is flushed (`main`,
    with exit code 1 and a message when that fails). What is left is flushed here. When anything
    else could still need the teardown (an exit handler: `atexit`, `weakref.finalize`, `tempfile`;
    a thread that is not a daemon) or a flush fails, the ordinary exit runs instead, as before.
    Logging's own exit handler alone is run here.
    """
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    if _teardown_needed():
        sys.exit(code)
    os._exit(code)


def _teardown_needed() -> bool:
    """An exit handler registered, or a thread the interpreter would wait for."""
    threading = sys.modules.get("threading")
    if threading is not None:
        main_thread = threading.main_thread()
        for thread in threading.enumerate():
            if thread is not main_thread and not thread.daemon and thread.is_alive():
                return True
    import atexit

    # CPython's count of registered exit handlers; where it is missing, assume there are some
    count = getattr(atexit, "_ncallbacks", None)
    if count is None:
        return True
    handlers: int = count()
    logging = sys.modules.get("logging")
    if logging is not None and handlers == 1:
        # logging registers its `shutdown` when imported (python-docx, asyncio import it): the
        # one handler is that one, so run it here as the ordinary exit would
        logging.shutdown()
        return False
    return handlers > 0


def main(argv: list[str] | None = None) -> int:
    try:
        if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        _reopen_closed_stdout()
        code = _main(argv)
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except KeyboardInterrupt:  # Ctrl-C while starting, before any handler was in place
        _stderr("Avbrutt.")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:  # flushing standard output at the end failed (a full disk)
        _silence_stdout()
        _stderr(f"Kunne ikke skrive til standard ut: {exc.strerror or type(exc).__name__}.")
        return 1


def _new_line() -> None:
    try:
        if sys.stderr is not None and sys.stderr.isatty():
            sys.stderr.write("\n")
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.close(fd)
    except OSError:
        pass


def _main(argv: list[str] | None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from .errors import OmsorgslinjeError

    try:
        fast = _fast_path(args)
    except OmsorgslinjeError as exc:
        _stderr(exc.message)
        return exc.exit_code
    if fast is not None:
        return fast
    try:
        return _run(args)
    finally:
        _close_cache()


def _close_cache() -> None:
    """Let go of the cache (when it was opened): here in the shell, never from an exit
    handler of the core."""
    cache = sys.modules.get("omsorgslinje.cache")
    if cache is not None:
        import contextlib

        with contextlib.suppress(Exception):  # a cache that cannot be written is no error
            cache.close()


def _run(args: list[str]) -> int:
    from .errors import OmsorgslinjeError
    from .ui.console import error

    try:
        if args in (["oppdager"], ["henvisning"]):
            # the first-timer's command, with no options: straight to the interview, without
            # building the command line (Typer alone costs more than a bare prompt's start-up)
            from .run import run_flow
            from .run_options import RunOptions

            return run_flow(args[0], RunOptions())
        import click

        from .cli import command
        from .i18n import install

        install()

        try:
            # click's own main, not typer's: typer turns a KeyboardInterrupt into a silent
            # exit 130, click into Abort (below: «Avbrutt.» and where the draft is). Without
            # standalone mode click *returns* the code of a typer.Exit.
            code = click.Command.main(
                command(), args=args, prog_name="omsorgslinje", standalone_mode=False
            )
        except click.exceptions.Exit as exc:
            return int(exc.exit_code or 0)
        except click.exceptions.Abort as exc:  # click's word for a KeyboardInterrupt
            error("Avbrutt." + _draft_note(exc.__cause__ or exc))
            return 130
        except click.exceptions.UsageError as exc:
            error(f"Feil: {_usage_message(exc)}")
            path = exc.ctx.command_path if exc.ctx is not None else "omsorgslinje"
            error(f"Se `{path} --help`.")
            return 2
        return code if isinstance(code, int) and not isinstance(code, bool) else 0
    except OmsorgslinjeError as exc:
        from .errors import Interrupted

        if isinstance(exc, Interrupted):
            _new_line()  # after the «^C» the terminal echoed, not on its line
        error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        error("Avbrutt." + _draft_note(exc))
        return 130
    except BrokenPipeError:
        _silence_stdout()  # the reader went away (`| head`): nothing more to say
        return 0
    except OSError as exc:  # click writing help or a message to a full disk, and the like
        import errno

        from .output import reason

        _silence_stdout()
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
            error(f"Kunne ikke skrive til standard ut: {reason(exc)}.")
        else:
            error(f"En fil kunne ikke leses eller skrives: {reason(exc)}.")
        return 1
    except Exception as exc:  # an internal error: a short message, no traceback
        error(
            f"Intern feil i omsorgslinje ({type(exc).__name__}). Ingen svar er vist her. "
            "Meld gjerne fra til den som drifter verktøyet." + _draft_note(exc)
        )
        return INTERNAL_ERROR


def _draft_note(exc: BaseException) -> str:
    """Where the interview's draft is, when the error carries one (never what it holds)."""
    from pathlib import Path

    from .errors import DRAFT_ATTRIBUTE

    path = getattr(exc, DRAFT_ATTRIBUTE, None)
    try:
        if not isinstance(path, Path) or not path.exists():
            return ""
    except OSError:
        return ""
    return (
        f"\nSvarene dine er lagret i utkastet {path}; "
        f"fortsett med `omsorgslinje utkast fortsett {path.stem}`."
    )


if __name__ == "__main__":
    run()
