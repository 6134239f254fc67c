from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


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
