"""The team's forms: they validate; team/services.py changes state."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crisisunit import roles
from crisisunit.lib.forms import CapitalizedLabels
from crisisunit.lib.plausible import validate_visible_text
from crisisunit.models import User
from placements.task_forms import colleagues


def role_choices():
    return [(role, _(role)) for role in roles.ROLES]


class MemberForm(CapitalizedLabels, forms.Form):
    """A new member of staff: never a superuser, never raw permissions, one role."""

    first_name = forms.CharField(
        label=_("given name"), max_length=150, validators=[validate_visible_text]
    )
    last_name = forms.CharField(
        label=_("surname"), max_length=150, validators=[validate_visible_text]
    )
    email = forms.EmailField(
        label=_("email"),
        help_text=_("The link to set a password goes here, and later the notices."),
    )
    role = forms.ChoiceField(
        label=_("role"),
        choices=role_choices,
        error_messages={"invalid_choice": _("Choose one of the roles.")},
    )
    language = forms.ChoiceField(
        label=_("language"),
        choices=settings.LANGUAGES,
        help_text=_("The workspace and the emails speak it."),
    )


class DeactivateForm(CapitalizedLabels, forms.Form):
    successor = forms.ModelChoiceField(
        label=_("who takes over the open cases and tasks"),
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose an active colleague.")},
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        # Whoever may be given tasks (the roles that see the cases), but the leaver.
        self.fields["successor"].queryset = colleagues().exclude(pk=member.pk)
