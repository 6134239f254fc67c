"""The staff roles. The groups and their permissions are created by migration
crisisunit/0002_roles; a change of a role's permissions is a new migration."""

from django.utils.translation import gettext, gettext_noop

# The groups' names in the database; shown to staff through `label`.
SOCIAL_WORKER = gettext_noop("Social worker")
MEDICAL_STAFF = gettext_noop("Medical staff")
ADMINISTRATOR = gettext_noop("Administrator")


def label(group) -> str:
    """A group's name in the reader's language."""
    return gettext(group.name)


def members(role):
    """The users who hold `role`, sorted by name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__name=role)
        .order_by("last_name", "first_name", "username")
    )
