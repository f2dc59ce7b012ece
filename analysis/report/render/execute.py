"""Run one notebook: strip it as it is committed, pass it only the parameters it declares,
and execute it with papermill on the project's kernel in a private folder that is removed
however the run ends."""

from __future__ import annotations

import shutil
import tempfile
import time
import warnings
from pathlib import Path

import nbformat

from analysis import stopping
from analysis.report.render.kernel import KERNEL_NAME, RenderError, ipc_kernel_manager, kill_kernels, private_folder

# What nbstripout removes besides outputs and counts: the lab's state, never a cell's tags.
STRIP_KEYS = [
    "metadata.widgets",
    "metadata.language_info",
    "cell.metadata.collapsed",
    "cell.metadata.scrolled",
    "cell.metadata.execution",
    "cell.metadata.jupyter",
    "cell.metadata.trusted",
]


LAB_ONLY = {"interactive": False, "show_progress": False}  # parameters a report always renders off


def committed_content(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as it is committed (nbstripout, the same tool as the git filter): no
    outputs, no execution counts, no widget state. A notebook JupyterLab autosaved with
    outputs and widgets renders exactly like a clean one."""
    from nbstripout import strip_output

    return strip_output(
        nbformat.from_dict(nb), keep_output=False, keep_count=False, keep_id=True, extra_keys=STRIP_KEYS
    )


def without_tagged(nb: nbformat.NotebookNode, tags: frozenset[str]) -> nbformat.NotebookNode:
    """``nb`` without the cells tagged with one of ``tags`` (a section for another event,
    e.g. the closing's, is left out of the report before the notebook runs)."""
    if tags:
        nb.cells = [c for c in nb.cells if not tags & set(c.get("metadata", {}).get("tags", []))]
    return nb


def execute(
    source: Path, target: Path, parameters: dict, drop_tags: frozenset[str] = frozenset()
) -> nbformat.NotebookNode:
    """Execute ``source`` into ``target`` with the ``parameters`` it declares; raises
    :class:`RenderError` naming the notebook and the cell (1-based, as in the file)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    socket_dir = private_folder()  # mode 0700, on a short path
    managers: list = []
    # Every temporary file of this run (the kernel's connection file too) goes into the
    # private folder, which is removed however the run ends, a SIGTERM included.
    saved_tempdir, tempfile.tempdir = tempfile.tempdir, str(socket_dir)
    stop = stopping.on_stop(lambda: (kill_kernels(managers), shutil.rmtree(socket_dir, ignore_errors=True)))
    stop.__enter__()
    quiet = warnings.catch_warnings()
    quiet.__enter__()
    try:
        clean = socket_dir / source.name
        nbformat.write(
            without_tagged(committed_content(nbformat.read(str(source), as_version=4)), drop_tags), str(clean)
        )
        declared = papermill.inspect_notebook(str(clean))  # pass each notebook only what it declares
        parameters = {k: v for k, v in parameters.items() if k in declared}
        # widgets are for the lab, never for a report, whatever the notebook was saved with
        parameters |= {key: value for key, value in LAB_ONLY.items() if key in declared}
        warnings.filterwarnings("ignore", message="IPython parent .* is not a writable location")  # HOME (cron)
        return papermill.execute_notebook(
            str(clean),
            str(target),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(source.parent),
            progress_bar=False,
            log_output=False,
            # papermill otherwise rewrites the whole notebook, figures and all, before and
            # after every cell; a report is read only when it is complete (and a failed run
            # is never published), so one write at the end is enough
            request_save_on_cell_execute=False,
            # the kernel's work is done and in the notebook: stop it at once rather than wait
            # about half a second for its graceful exit (nothing in it writes files)
            shutdown_kernel="immediate",
            kernel_manager_class=ipc_kernel_manager(socket_dir, managers),
        )
    except PapermillExecutionError as exc:
        # Name the cell as the analyst sees it in the notebook file (1-based, without the
        # cell papermill injects), found by its source.
        cells = nbformat.read(str(source), as_version=4).cells
        number = next((i + 1 for i, c in enumerate(cells) if c.source == exc.source), exc.cell_index)
        first_line = next((ln for ln in exc.source.splitlines() if ln.strip()), "")
        raise RenderError(f"{source.name}, celle {number} ({first_line}): {exc.ename}: {exc.evalue}") from None
    except Exception as exc:  # a kernel that dies or does not start
        raise RenderError(f"{source.name}: {type(exc).__name__}: {exc}") from None
    finally:
        quiet.__exit__(None, None, None)
        tempfile.tempdir = saved_tempdir
        kill_kernels(managers)
        remove_own_folder(socket_dir)
        stop.__exit__(None, None, None)


def remove_own_folder(folder: Path, tries: int = 20) -> None:
    """Remove a folder of our own, trying again for up to about 2 s while something (a
    kernel that is just dying) still writes into it: rmtree then fails with "Directory not
    empty" and would leave the folder behind."""
    for _ in range(tries):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.1)
