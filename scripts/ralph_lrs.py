"""Runs ralph (ralph-malph, the Learning Record Store of the xAPI tests) with its file system backend:
``.venv-lrs/bin/python scripts/ralph_lrs.py HOST PORT`` with ``RALPH_AUTH_FILE`` and
``RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH`` set (tests/api/conftest.py does it).

ralph 5.1.0's file system LRS writes every POST with the data backend's default operation, ``create``, which refuses
an existing file: only the first POST would be stored. The LRS appends instead (the file is one JSON line per
statement), which is what its reads expect."""

import os
import sys

os.environ.setdefault("RALPH_RUNSERVER_BACKEND", "fs")  # read when ralph is imported

import uvicorn  # noqa: E402
from ralph.backends.data.base import BaseOperationType  # noqa: E402
from ralph.backends.lrs.fs import FSLRSBackend  # noqa: E402

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
