"""The editorial roles, as groups with only the permissions each needs."""

CONTENT_MODELS = {
    "initiatives": [
        "initiative",
        "participation",
        "publication",
        "organization",
        "theme",
        "region",
        "section",
        "paragraph",
        "footnote",
    ],
    "glossary": ["term", "variant"],
}


def content_permissions(*actions):
    return [
        (app, f"{action}_{model}") for app, models in CONTENT_MODELS.items() for model in models for action in actions
    ]


ROLES = {
    # creates and edits drafts; cannot publish, cannot touch comments or delegates
    "editor": content_permissions("add", "change", "view"),
    # edits the other language of existing items; creates nothing
    "translator": content_permissions("change", "view"),
    # reviews and publishes
    "publisher": [
        *content_permissions("add", "change", "view"),
        ("initiatives", "publish_initiative"),
        ("initiatives", "publish_publication"),
        ("glossary", "publish_term"),
    ],
    # moderates comments and manages member states and their delegates
    "moderator": [
        ("initiatives", "view_comment"),
        ("initiatives", "change_comment"),
        ("initiatives", "moderate_comment"),
        ("initiatives", "view_consultation"),
        ("initiatives", "add_delegate"),
        ("initiatives", "change_delegate"),
        ("initiatives", "view_delegate"),
        ("initiatives", "view_memberstate"),
    ],
}


def install_roles(group_model, permission_model):
    """Create or update the role groups; the migration passes its historical models."""
    for name, permissions in ROLES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.set(
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in permissions
        )
