"""The home's contacts from the HOME_* settings, applied after every `migrate` to the
first content (content/0002) for as long as nobody has edited the home's row in the
admin: a new deployment starts with its own name, address, phones, e-mail and hours,
and a migration never reads a setting."""

from django.conf import settings

from content.models import Home

LANGUAGES = ("kk", "ru", "en")
FIRST_CONTENT = "first content"  # the reason content/0002 gives its rows
FROM_SETTINGS = "HOME_* settings"


def home_from_settings(**kwargs) -> None:
    """Fill the home's row from the HOME_* settings that are set, unless a person has
    edited it (then what they wrote stays)."""
    if not _models_migrated(kwargs.get("apps")):
        return
    home = Home.objects.filter(pk=1).first()
    contact = settings.HOME_CONTACT
    if home is None or not any(contact.values()):
        return
    if home.history.exclude(history_change_reason__in=[FIRST_CONTENT, FROM_SETTINGS]).exists():
        return
    changes = {}
    for field, key in (("name", "name"), ("address", "address"), ("office_hours", "hours")):
        if contact[key]:
            changes.update({f"{field}_{lang}": contact[key] for lang in LANGUAGES})
    for field, key in (("phones", "phone"), ("email", "email")):
        if contact[key]:
            changes[field] = contact[key]
    if all(getattr(home, field) == value for field, value in changes.items()):
        return
    for field, value in changes.items():
        setattr(home, field, value)
    home._change_reason = FROM_SETTINGS  # type: ignore[attr-defined]  # simple-history
    home.save()


def _models_migrated(state) -> bool:
    """Whether the database holds the home's table as the code knows it (not after
    `migrate content 0001`, say)."""
    if state is None:
        return True
    try:
        migrated = state.get_model("content", "HistoricalHome")
    except LookupError:
        return False
    return {f.name for f in migrated._meta.fields} == {
        f.name for f in Home.history.model._meta.fields
    }
