import uuid

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from initiatives.models import COMMENT_MAX_LENGTH, Comment


class CommentForm(forms.ModelForm):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["body", "language", "official_position"]
        labels = {"body": _("Your comment")}
        help_texts = {
            "body": _("At most %(max)d characters. It is published once the Secretariat approves it.")
            % {"max": COMMENT_MAX_LENGTH},
            "language": _("The language you write in."),
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 8}), "language": forms.RadioSelect}
        error_messages = {
            "body": {
                "required": _("Write your comment before sending it."),
                "max_length": _("A comment can have at most %(limit_value)d characters (it has %(show_value)d)."),
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = Comment.Language.choices
        if not self.is_bound:
            self.initial.setdefault("language", get_language())
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(self.fields["body"].error_messages["required"], code="required")
        return body


class CommentEditForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": _("Your comment")}
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        error_messages = CommentForm.Meta.error_messages

    clean_body = CommentForm.clean_body
