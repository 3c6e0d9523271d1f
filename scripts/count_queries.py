"""Print, as JSON, how many SQL queries each given path costs when nothing is cached."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

client = Client(HTTP_HOST="127.0.0.1")
client.cookies["sessionid"] = "count-queries"  # an unknown session: the page cache is bypassed
counts = {}
for path in sys.argv[1:]:
    cache.clear()
    client.get(path)  # warm the per-process caches (glossary table, map...) as a running server has them
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    counts[path] = len(captured.captured_queries)
print(json.dumps(counts))
