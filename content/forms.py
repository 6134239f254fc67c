from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import FIRST, LANGUAGES
from crisisunit.lib import markup

# The name of the admin's preview button.
PREVIEW = "_preview"

REMOVED = {
    markup.HTML: _("%(field)s: HTML was removed (a script or a style with it); use Markdown."),
    markup.LINK: _(
        "%(field)s: a link to something other than a web page, an email address or a phone "
        "was removed; its words are kept."
    ),
}


class ContentForm(forms.ModelForm):
    """The admin's form for the public content: takes out of each text what may not be
    stored and says so (`notices`); asks for the Kazakh text in plain words; and on
    the preview button validates without saving (`previewing`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notices = []
        self.previewing = False
        for name in self._meta.model.required:
            field = self.fields.get(f"{name}_{FIRST}")
            if field is not None:
                field.error_messages["required"] = _(
                    "Write this in Kazakh: it is shown where a translation is missing."
                )

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        for name in model.texts:
            for language in LANGUAGES:
                field = f"{name}_{language}"
                value = cleaned.get(field)
                if not value:
                    continue
                if name in model.markdown:
                    value, removed = markup.strip_unsafe(value)
                else:
                    value, had_html = markup.strip_html(value)
                    removed = {markup.HTML} if had_html else set()
                if removed:
                    cleaned[field] = value
                    label = self.fields[field].label
                    self.notices += [REMOVED[kind] % {"field": label} for kind in sorted(removed)]
        return cleaned

    def is_valid(self):
        """False on a valid preview too, so the admin shows the form again, unsaved."""
        valid = super().is_valid()
        self.previewing = valid and PREVIEW in self.data
        return valid and not self.previewing
