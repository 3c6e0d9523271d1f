import functools
from html import escape

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.forms.utils import flatatt
from django.template import loader
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from portal.mail import queue_mail


class QuickSelect(forms.Select):
    """Django's <select> markup, written without rendering a template for each option.

    The country filter offers up to 250 options: through the form renderer they cost more CPU than
    the rest of the list page together. The options' markup is kept per menu (`option_markup`), and a
    request only marks its chosen values.
    """

    # The filters set flat (value, label) rows: normalizing 250 of them on each request cost 0.4 ms.
    choices = property(lambda self: self._choices, lambda self, value: setattr(self, "_choices", value))

    options_markup = None

    def offer(self, menu):
        """Sets the options from a kept `menu()`: the markup comes with them, built once."""
        self.choices, self.options_markup = menu

    def render(self, name, value, attrs=None, renderer=None):
        options = self.options_markup or option_markup(tuple((str(key), str(label)) for key, label in self.choices))
        for chosen in {str(item) for item in self.format_value(value)}:
            tag = f'<option value="{escape(chosen)}">'
            options = options.replace(tag, f"{tag[:-1]} selected>", 1)
        return mark_safe(
            f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>{options}</select>'
        )


class QuickTextInput(forms.TextInput):
    """Django's text <input> markup, written without rendering its two templates (the filters' year)."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = f' value="{escape(value)}"' if value is not None else ""
        attributes = "".join(
            f" {key}" if given is True else f' {key}="{escape(str(given))}"'
            for key, given in self.build_attrs(self.attrs, attrs).items()
            if given is not False and given is not None
        )  # in Django's order, which flatatt() would sort
        return mark_safe(f'<input type="{self.input_type}" name="{escape(name)}"{shown}{attributes}>')


def menu(choices):
    """(choices, their <option> markup) for `QuickSelect.offer`, to keep with the choices: the labels
    as plain strings, in the active language."""
    choices = [(str(key), str(label)) for key, label in choices]
    return choices, option_markup(tuple(choices))


@functools.lru_cache(maxsize=64)
def option_markup(choices):
    """The <option> tags of a menu, none selected; `choices` are (value, label) strings."""
    return "".join(f'<option value="{escape(key)}">{escape(label)}</option>' for key, label in choices)


class QueuedPasswordResetForm(PasswordResetForm):
    """Password-reset mail goes through the mail queue, so a mail server outage loses nothing."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        queue_mail(to=to_email, subject=subject, body=loader.render_to_string(email_template_name, context))


class SecondFactorForm(forms.Form):
    """A six-digit code from the staff member's authenticator app (any of their confirmed devices)."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        self.device = match_token(self.user, token)
        if self.device is None:
            raise forms.ValidationError(_("This code is not valid. Enter the current code from your app."))
        return token
