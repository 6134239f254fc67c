"""The staff roles. The groups and their permissions are created by migration
crisisunit/0002_roles; a change of a role's permissions is a new migration."""

SOCIAL_WORKER = "Social worker"
MEDICAL_STAFF = "Medical staff"
ADMINISTRATOR = "Administrator"


def members(role):
    """The users who hold `role`, sorted by name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__name=role)
        .order_by("last_name", "first_name", "username")
    )
