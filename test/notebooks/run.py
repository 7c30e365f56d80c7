#!/usr/bin/env python3
"""Execute Jupyter notebooks headless with nbclient and fail on any error output.

Usage: run.py NOTEBOOK.ipynb [EXECUTED.ipynb]
Exit codes: 0 ran clean (the executed copy written when asked); 1 a cell failed or printed to
stderr; 3 the tools are missing (nbclient, or the notebook's kernel is not registered: run
`npm run notebook:install`), told on stderr so that a test can skip with that reason.
"""
import sys


# How long to keep listening for a cell's output after its kernel said it is idle.
LATE_OUTPUT_SECONDS = 0.5


def main() -> int:
    try:
        import asyncio
        import queue

        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionComplete, CellExecutionError
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError as e:
        print(f"missing: {e.name} (apt-get install python3-nbclient python3-ipykernel)", file=sys.stderr)
        return 3

    class Client(NotebookClient):
        """nbclient, also taking a cell's output that arrives just after its "idle": Deno's
        kernel sometimes sends a result after it (denoland/deno#20337 notes the race), and
        nbclient would drop it, the next cell's messages having another parent."""

        async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
            await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + LATE_OUTPUT_SECONDS
            while (left := deadline - loop.time()) > 0:
                try:
                    msg = await self.kc.iopub_channel.get_msg(timeout=left)
                except (queue.Empty, asyncio.TimeoutError, TimeoutError):
                    return
                if msg["parent_header"].get("msg_id") != parent_msg_id:
                    continue
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass
    path = sys.argv[1]
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        print(f"missing: the Jupyter kernel '{kernel}' (npm run notebook:install)", file=sys.stderr)
        return 3
    client = Client(nb, timeout=600, kernel_name=kernel, allow_errors=False)
    try:
        client.execute()
    except CellExecutionError as e:
        print(f"{path}: a cell failed:\n{e}", file=sys.stderr)
        return 1
    failed = False
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            bad = out.get("output_type") == "error" or (
                out.get("output_type") == "stream" and out.get("name") == "stderr"
            )
            if bad:
                failed = True
                text = out.get("text") or "\n".join(out.get("traceback", []))
                print(f"{path}: cell {i} wrote an error:\n{text}", file=sys.stderr)
    if len(sys.argv) > 2:
        nbformat.write(nb, sys.argv[2])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
