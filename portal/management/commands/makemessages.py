"""Django's `makemessages` (`make messages`), reading the site's Jinja2 templates as Jinja: Django's own
reads every template as a Django template, and would find none of their messages. It also reads the
consultation's counted phrases (`counted()`)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages
from django.template import engines

SITE_TEMPLATES = Path(settings.BASE_DIR) / "templates"


class TemplateFile(makemessages.BuildFile):
    def preprocess(self):
        path = Path(self.path).resolve()
        if not self.is_templatized or not is_site_template(path):
            return super().preprocess()
        Path(self.work_path).write_text(python_calls(path.read_text(encoding="utf-8")), encoding="utf-8")


def is_site_template(path):
    """A Jinja2 template: under templates/, an HTML page, not the admin's (as portal.jinja.SiteTemplates)."""
    return path.suffix == ".html" and path.is_relative_to(SITE_TEMPLATES) and "admin" not in path.parts


def python_calls(source):
    """The template's messages as the Python calls xgettext reads, each on its template line (so that the
    catalogues name the template's lines)."""
    lines = [""] * (source.count("\n") + 1)
    for number, function, strings in engines["jinja2"].env.extract_translations(source):
        strings = (strings,) if isinstance(strings, str) else strings
        arguments = ", ".join(json.dumps(text, ensure_ascii=False) if text is not None else "0" for text in strings)
        lines[number - 1] += f"{function}({arguments}); "
    return "\n".join(lines)


class Command(makemessages.Command):
    build_file_class = TemplateFile
    # initiatives.markup.counted(language, singular, plural, count) is ngettext kept per count
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=counted:2,3"]
