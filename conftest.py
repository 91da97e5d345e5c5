"""Keeps every test, notebook kernels included, away from the user's real workbook."""

import os
import tempfile
import warnings

import nbval.plugin
from nbval.kernel import RunningKernel, start_new_kernel

# jp_fetch, jp_serverapp and friends, for the server extension's tests.
pytest_plugins = ["pytest_jupyter.jupyter_server"]

_SESSION_DIR = tempfile.TemporaryDirectory(prefix="buyin-workbook-tests-")

#: Starts of one notebook's kernel before nbval's setup error is shown.
_KERNEL_STARTS = 3


class _NotebookKernel(RunningKernel):
    """nbval's kernel, started again on fresh ports if it dies before it answers.

    jupyter_client picks free ports, closes them and hands them to the kernel, which binds
    them a second later; on a busy machine another process may take one meanwhile and the
    kernel exits ("Kernel died before replying to kernel_info"). A server's kernel restarter
    retries on new ports (``KernelRestarter.random_ports_until_alive``); nbval's blocking
    manager has no restarter, so this does the same. The kernel's stderr is kept, and shown
    as a warning when a start fails, so the cause stays visible.
    """

    def __init__(self, kernel_name, cwd=None, startup_timeout=60):
        for start in range(1, _KERNEL_STARTS + 1):
            with tempfile.TemporaryFile("w+") as stderr:
                try:
                    self.km, self.kc = start_new_kernel(
                        startup_timeout=startup_timeout,
                        kernel_name=kernel_name,
                        stderr=stderr,
                        cwd=cwd,
                    )
                except RuntimeError as error:
                    stderr.seek(0)
                    warnings.warn(
                        f"{cwd}: kernel start {start} of {_KERNEL_STARTS} failed ({error}); "
                        f"its stderr:\n{stderr.read()[-2000:]}",
                        stacklevel=1,
                    )
                    if start == _KERNEL_STARTS:
                        raise
                    continue
            self._ensure_iopub_up()
            return


def pytest_configure(config):
    # Kernels started by nbval inherit this environment.
    os.environ["BUYIN_WORKBOOK_DB_URL"] = f"sqlite:///{_SESSION_DIR.name}/notebooks.sqlite"
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    # The tests' pages speak English unless a test asks otherwise, whatever language this
    # machine's own JupyterLab is set to (its settings folder is an empty one of the run's).
    os.environ["JUPYTERLAB_SETTINGS_DIR"] = f"{_SESSION_DIR.name}/lab-settings"
    nbval.plugin.RunningKernel = _NotebookKernel
