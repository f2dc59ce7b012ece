"""``main(argv)``: parse, run the command, and turn every way it can end into one exit code
and Danish lines on stderr, never a traceback.

Exit codes: 0 done; 1 a report failed to render, another run holds it, no option could be
found, or an unexpected error (its traceback goes to a log file); 2 bad input, a bad option
or a decision the data cannot take; 130 interrupted; 143 stopped by SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys

from analysis import __version__, stopping
from analysis.inputs.findings import BadArgument, InputError
from analysis.model.decisions import DecisionError
from analysis.report.errors import RenderError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143


def flag(parameter: str) -> str:
    """The command-line option a parameter or an input file is given in: ``force_in`` →
    ``--force-in``, ``bevillinger`` → ``--bevillinger`` (how a refused decision names it)."""
    return "--" + parameter.replace("_", "-")


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler stopping the job): unwind like Ctrl-C, so every temporary
    folder and the kernel are cleaned up on the way out. A KeyboardInterrupt, because
    asyncio (which runs the notebook's kernel) lets only that and SystemExit through a
    callback: any other exception raised there by the signal handler was logged and
    swallowed, and a render stopped while a kernel started could hang."""


def _unraisable(hook):
    """A Terminated raised where Python cannot raise it (in a ``__del__``, a weakref
    callback) is swallowed with a traceback on stderr; instead, send SIGTERM again a moment
    later, to land where it can unwind the run."""

    def quiet(unraisable) -> None:
        if isinstance(unraisable.exc_value, Terminated):
            import threading

            threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGTERM)).start()
            return
        hook(unraisable)

    return quiet


def _terminate(signum, frame):
    stopping.heard()
    if stopping.defer_if_moving():  # a report folder is being swapped in; raised right after
        return
    raise Terminated()


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _tolerant_console() -> None:
    """Text the console cannot show (a latin-1 or ASCII terminal, a cron job's C locale)
    comes out as ``?``, never as a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or detached stream
                pass


def failure(exc: BaseException) -> tuple[int, list[str]] | None:
    """The exit code and the lines to print for an exception that ends a command as
    expected (None: an unexpected error)."""
    if isinstance(exc, InputError):
        count = sum(1 for f in exc.findings if f.is_error)
        return EXIT_BAD_INPUT, [*(str(f) for f in exc.findings), f"{count} fejl; inddata kan ikke bruges."]
    if isinstance(exc, DecisionError):
        from analysis.report.vocabulary import decision_text

        return EXIT_BAD_INPUT, [decision_text(problem, flag) for problem in exc.problems]
    if isinstance(exc, BadArgument):  # an option value the domain rejects, e.g. an output path
        return EXIT_BAD_INPUT, [str(exc)]
    if isinstance(exc, RenderError):
        return EXIT_FAILED, [f"Rapporten kunne ikke dannes: {exc}", "Den tidligere rapport er uændret."]
    if isinstance(exc, Terminated):  # before KeyboardInterrupt, which it is
        return EXIT_TERMINATED, [stopping.MESSAGE]
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, ["Afbrudt."]
    return None


def main(argv: list[str] | None = None) -> int:
    """Run ``digiramme`` with ``argv`` (default: the process's arguments); returns the exit code."""
    from analysis.cli.parser import parse

    _tolerant_console()
    args = parse(argv)
    if _is_main_thread():
        signal.signal(signal.SIGTERM, _terminate)
        sys.unraisablehook = _unraisable(sys.unraisablehook)
        stopping.install_watcher()  # SIGTERM ends the command even while HiGHS holds the main thread
    try:
        return args.run(args)
    except BrokenPipeError:  # e.g. `digiramme … --json | head`: the reader left; not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter shutdown quiet
        return EXIT_OK
    except BaseException as exc:
        if isinstance(exc, SystemExit):
            raise
        ended = failure(exc)
        if ended is None:  # never a traceback: one Danish line, and the details in a log file
            log = _write_crash_log(args.command)
            ended = (
                EXIT_FAILED,
                [f"digiramme {args.command}: en uventet fejl stoppede kørslen; detaljerne står i {log}"],
            )
        code, lines = ended
        for line in lines:
            print(line, file=sys.stderr)
        return code
    finally:
        stopping.ended()


LOG_DIR_VARIABLE = "DIGIRAMME_LOGS"  # where crash logs go; default: the system's temporary folder


def _log_dir() -> str | None:
    """The folder the operator named in ``DIGIRAMME_LOGS`` (made if missing), or None for
    the system's temporary folder (also when the named one cannot be made)."""
    wanted = os.environ.get(LOG_DIR_VARIABLE, "").strip()
    if not wanted:
        return None
    try:
        os.makedirs(wanted, exist_ok=True)
    except OSError:
        return None
    return wanted if os.access(wanted, os.W_OK) else None


def _write_crash_log(command: str) -> str:
    """Write the traceback of the exception being handled to a log file; return its path."""
    import tempfile
    import traceback
    from datetime import datetime

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    handle, path = tempfile.mkstemp(prefix=f"digiramme-{command}-{stamp}-", suffix=".log", dir=_log_dir())
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write(f"digiramme {__version__}, kommando: {' '.join(sys.argv)}\n\n")
        log.write(traceback.format_exc())
    return path
