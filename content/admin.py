"""The public site in the admin: content editors and administrators write each text in
Kazakh, Russian and English, preview it, and publish it by saving; every change is
kept in the history, from which an earlier version can be brought back."""

from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from content.forms import PREVIEW, ContentForm
from content.models import (
    LANGUAGES,
    Announcement,
    DocumentItem,
    Home,
    Office,
    Question,
    Section,
)
from crisisunit.caseadmin import yes_no

LANGUAGE_TITLES = {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")}
MARKDOWN_HELP = _(
    "Plain text; a blank line starts a new paragraph. A line starting with “- ” is an "
    "item of a list; *words between asterisks* are emphasised; [words](https://…) is a "
    "link (web pages, mailto: and tel: only). No HTML."
)


class ContentAdmin(SimpleHistoryAdmin):
    form = ContentForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    change_form_template = "admin/content/change_form.html"
    list_display = ["__str__", "translations_missing"]

    def get_fieldsets(self, request, obj=None):
        """The fields that are the same in every language, then one group a language."""
        model = self.model
        texts = {f"{name}_{language}" for name in model.texts for language in LANGUAGES}
        common = [
            field.name
            for field in model._meta.fields
            if field.editable and not field.primary_key and field.name not in texts
        ]
        fieldsets = [(None, {"fields": ["translations_missing", *common]})]
        for language in LANGUAGES:
            options = {"fields": [f"{name}_{language}" for name in model.texts]}
            if language != LANGUAGES[0]:
                options["description"] = _("Left empty, a text is shown in Kazakh.")
            fieldsets.append((LANGUAGE_TITLES[language], options))
        return fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Each language's field marked with its language (read with the right voice),
        and each Markdown text saying what it may hold."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        name, _sep, language = db_field.name.rpartition("_")
        if field is not None and language in LANGUAGES and name in self.model.texts:
            field.widget.attrs["lang"] = language
            if name in self.model.markdown:
                field.help_text = MARKDOWN_HELP
        return field

    def get_readonly_fields(self, request, obj=None):
        return ["translations_missing"]

    @admin.display(description=_("translations missing"))
    def translations_missing(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        missing = obj.missing_translations()
        return ", ".join(str(LANGUAGE_TITLES[language]) for language in missing) or "—"

    def revert_disabled(self, request, obj=None):
        """Case records' old versions are only shown (SIMPLE_HISTORY_REVERT_DISABLED);
        public content is brought back from its history by whoever may change it."""
        return not self.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Taken off the site by unticking "shown" (or an end date): the history stays.
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for notice in form.notices:
            messages.warning(request, notice)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context["preview_button"] = PREVIEW
        if form.previewing:
            context["preview"] = _preview(form.instance)
            context["notices"] = form.notices
        return super().render_change_form(request, context, add, change, form_url, obj)


def _preview(obj):
    """Each language's texts as the public pages will show them."""
    model = type(obj)
    preview = []
    for language in LANGUAGES:
        with translation.override(language):
            texts = [
                (model._meta.get_field(f"{name}_{language}").verbose_name, obj.text(name))
                for name in model.texts
            ]
        preview.append((language, LANGUAGE_TITLES[language], texts))
    return preview


@admin.register(Home)
class HomeAdmin(ContentAdmin):
    """One row: the list goes straight to it."""

    def has_add_permission(self, request):
        return not Home.objects.exists() and super().has_add_permission(request)

    def changelist_view(self, request, extra_context=None):
        if self.has_view_or_change_permission(request) and Home.objects.exists():
            return HttpResponseRedirect(reverse("admin:content_home_change", args=[1]))
        return super().changelist_view(request, extra_context)


@admin.register(Office, Section, DocumentItem, Question)
class ListedAdmin(ContentAdmin):
    list_display = ["__str__", "position", "shown_on_site", "translations_missing"]
    list_filter = ["shown"]

    @admin.display(description=_("shown on the site"), ordering="shown")
    def shown_on_site(self, obj):
        return yes_no(obj.shown)  # Django's icon says "True" in English


@admin.register(Announcement)
class AnnouncementAdmin(ContentAdmin):
    list_display = ["__str__", "publish_on", "end_on", "translations_missing"]
    date_hierarchy = "publish_on"
