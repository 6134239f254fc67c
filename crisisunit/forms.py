from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AuthenticationForm,
    SetUnusablePasswordMixin,
)
from django.core.validators import MaxLengthValidator
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.forms import CapitalizedLabels


class UsernameLengthMixin:
    """Django's login form sets the username's max_length after the field is built, so
    the length is never checked: an over-long name went on to authenticate() and to the
    sign-in records (django-axes keeps 255 characters), which PostgreSQL refused with a
    server error. Check it, and the user sees the usual "at most 150 characters"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class StaffLoginForm(UsernameLengthMixin, AuthenticationForm):
    pass


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    pass


def _unusable_password_help():
    return format_html(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        gettext(SetUnusablePasswordMixin.usable_password_help_text),
        gettext("If disabled, the current password for this user will be lost."),
    )


class StaffPasswordChangeForm(AdminPasswordChangeForm):
    """Django builds this help text once, at start-up, in the default language, and adds
    an English sentence to it: here it is built for each page, in the reader's."""

    usable_password_help_text = lazy(_unusable_password_help, str)()


class CodeForm(forms.Form):
    """The six digits of the authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class ResetSecondFactorForm(CapitalizedLabels, forms.Form):
    user = forms.ModelChoiceField(
        label=_("member of staff"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the second factor is reset, e.g. the phone was lost. Kept in the log."),
    )
