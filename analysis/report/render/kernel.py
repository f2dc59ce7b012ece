"""The kernel a report's notebooks run on: this project's interpreter, reached over Unix
sockets in a private folder, and never left running."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from analysis.report.errors import RenderError

KERNEL_NAME = "digiramme"
__all__ = ["KERNEL_NAME", "RenderError", "ensure_kernel", "ipc_kernel_manager", "kill_kernels", "private_folder"]

# A Unix socket's path holds at most 107 bytes; the kernel's sockets and multiprocessing's
# forkserver socket (pymp-…/listener-…) add about 40 to their folder's path.
SHORT_BASE = 40


def private_folder() -> Path:
    """A new private (0700) folder on a short path for the kernel's sockets, connection file
    and temporary files: under ``TMPDIR`` when that path is short, else under /tmp or
    /dev/shm, so a scheduler's long ``TMPDIR`` (Airflow's task paths) cannot break the
    socket paths."""
    candidates = [tempfile.gettempdir(), "/tmp", "/dev/shm"]
    for base in candidates:
        if len(os.fsencode(base)) <= SHORT_BASE and os.path.isdir(base) and os.access(base, os.W_OK | os.X_OK):
            return Path(tempfile.mkdtemp(prefix="dr-", dir=base))
    raise RenderError(
        "ingen kort, skrivbar mappe til kernens forbindelser: TMPDIR er for lang, og /tmp og /dev/shm kan ikke skrives"
    )


def ensure_kernel() -> None:
    """Make the ``digiramme`` kernel start this very interpreter.

    Installs the kernelspec into this environment (``sys.prefix``) when it is missing or
    points elsewhere, so papermill, nbval and JupyterLab never pick up whichever
    ``python3`` a user happens to have.
    """
    import warnings

    from ipykernel.kernelspec import install
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    def current() -> str | None:
        try:
            return KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0]
        except NoSuchKernel:
            return None

    # Every temporary folder made here goes into one of ours, removed here: ipykernel writes
    # the spec into a mkdtemp folder it never removes (only its contents), and IPython makes
    # itself a profile folder in TMPDIR, never removed, when HOME cannot be written (a
    # scheduler's account), each time the kernel spec is looked up.
    scratch = tempfile.mkdtemp(prefix="dr-spec-")
    saved, tempfile.tempdir = tempfile.tempdir, scratch
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="IPython parent .* is not a writable location")
            if current() != sys.executable:
                install(kernel_name=KERNEL_NAME, display_name="Python (digiramme)", prefix=sys.prefix)
            found = current()
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(scratch, ignore_errors=True)
    if found != sys.executable:
        raise RenderError(
            f'kernen "{KERNEL_NAME}" peger på {found}, ikke på {sys.executable}; '
            f"fjern den med: jupyter kernelspec remove {KERNEL_NAME}"
        )


def ipc_kernel_manager(socket_dir: Path, managers: list | None = None):
    """A kernel manager whose kernel talks over Unix sockets in a private folder.

    The default transport is TCP on localhost, which any user of the machine can reach;
    IPC sockets in a folder only the owner may enter (mode 0700) cannot be reached by others.
    Each manager made is added to ``managers``, so the caller can make sure its kernel is
    gone (:func:`kill_kernels`).
    """
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(socket_dir / "k"))
            kwargs.setdefault("connection_file", str(socket_dir / "kernel.json"))
            super().__init__(**kwargs)
            if managers is not None:
                managers.append(self)

        async def _async_pre_start_kernel(self, **kw):
            # the kernel's own temporary files (multiprocessing's pymp-… folders, a
            # forkserver's socket) go into the private folder too, whatever TMPDIR is
            env = {**(kw.get("env") or os.environ), "TMPDIR": str(socket_dir)}
            if "IPYTHONDIR" not in env and not _writable_home(env):
                # IPython would make itself a temporary profile folder and warn on every page
                env["IPYTHONDIR"] = str(socket_dir / "ipython")
            kw["env"] = env
            return await super()._async_pre_start_kernel(**kw)

    return IPCKernelManager


def _writable_home(env: dict) -> bool:
    """Whether the kernel's IPython can keep its profile under HOME (``~/.ipython``)."""
    home = env.get("HOME") or os.path.expanduser("~")
    folder = os.path.join(home, ".ipython")
    return os.access(folder if os.path.isdir(folder) else home, os.W_OK)


def kill_kernels(managers: list) -> None:
    """Kill any kernel process still running. A SIGTERM that lands while a kernel is
    starting unwinds before nbclient can shut it down; the kernel would then live on, making
    its sockets in the private folder after the folder was removed."""
    for manager in managers:
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)
