"""Local development (`make run`, `manage.py` by default): DEBUG on, the published key allowed."""

import os

# Before base reads them: DEBUG on unless the environment says otherwise, which lets base fall
# back to the published development key.
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402
