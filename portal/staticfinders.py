"""jQuery UI's script from the XStatic-jQuery-UI package, as static/vendor/jquery-ui/.

Only the scripts: its style sheets name images with quoted relative paths that the manifest
storage cannot resolve, and the admin's language tabs need none of them.
"""

import xstatic.pkg.jquery_ui
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor/jquery-ui"


class JQueryUIFinder(FileSystemFinder):
    def __init__(self, app_names=None, *args, **kwargs):
        root = xstatic.pkg.jquery_ui.BASE_DIR
        self.locations = [(PREFIX, root)]
        storage = FileSystemStorage(location=root)
        storage.prefix = PREFIX
        self.storages = {root: storage}

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        return super().find(path, find_all=find_all, **kwargs) if path.endswith(".js") else []

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if path.endswith(".js"):
                yield path, storage
