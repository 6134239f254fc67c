"""The public site's content, edited by the home in the admin: its contacts and
visiting hours, the offices that refer families, the sections of the information page,
the documents to bring, questions and answers, and announcements.

Every text is written in kk, ru and en (fields `<name>_kk`, `<name>_ru`, `<name>_en`);
Kazakh is required, and a missing translation shows the Kazakh text (marked
`lang="kk"`). Texts marked as Markdown take a small safe subset (crisisunit.lib.markup).
This app holds no personal data and imports no other app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib import markup
from crisisunit.lib.phone import normalize_kz_phone
from crisisunit.lib.plausible import validate_visible_text

LANGUAGES = ("kk", "ru", "en")
FIRST = "kk"
LANGUAGE_NAMES = {"kk": _("in Kazakh"), "ru": _("in Russian"), "en": _("in English")}


def in_languages(field_class, label, *, required=False, **options):
    """One text as three fields, kk, ru and en; the Kazakh one required if `required`.
    No text of the public site may hold an invisible control character."""
    return tuple(
        field_class(
            format_lazy("{} ({})", label, LANGUAGE_NAMES[language]),
            blank=not (required and language == FIRST),
            validators=[validate_visible_text],
            **options,
        )
        for language in LANGUAGES
    )


class Text(str):
    """A text in the reader's language, or the Kazakh one in its place: `lang` says
    which, `fallback` whether it stands in for a missing translation."""

    def __new__(cls, value, lang, fallback=False, is_markdown=False):
        text = super().__new__(cls, value)
        text.lang, text.fallback, text.is_markdown = lang, fallback, is_markdown
        return text

    @property
    def html(self):
        """The text as sanitised HTML (Markdown texts), or escaped by the template."""
        return mark_safe(markup.render(self)) if self.is_markdown else self  # noqa: S308


class Localized:
    """`obj.t.title`: the object's title in the reader's language (for templates)."""

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, name):
        return self._obj.text(name)


def validate_phone_lines(value):
    """One Kazakhstan phone number a line, written as people write them."""
    for line in value.splitlines():
        if line.strip():
            normalize_kz_phone(line)


https_only = URLValidator(schemes=["https"], message=_("Enter a link that starts with https://."))


class Translated(models.Model):
    """What the content's models share: texts in three languages, kept clean."""

    texts = ()  # names of the texts written in kk, ru and en
    markdown = ()  # those of them written in Markdown
    required = ()  # those that must be written (in Kazakh)

    class Meta:
        abstract = True

    @cached_property
    def t(self):
        return Localized(self)

    def text(self, name, language=None) -> Text:
        language = language or get_language()
        is_markdown = name in self.markdown
        value = getattr(self, f"{name}_{language}", "") if language in LANGUAGES else ""
        if value:
            return Text(value, language, is_markdown=is_markdown)
        first = getattr(self, f"{name}_{FIRST}")
        return Text(first, FIRST, fallback=language != FIRST, is_markdown=is_markdown)

    def missing_translations(self) -> list[str]:
        """The languages in which a text written in Kazakh has no translation yet."""
        return [
            language
            for language in LANGUAGES[1:]
            if any(
                getattr(self, f"{name}_{FIRST}") and not getattr(self, f"{name}_{language}")
                for name in self.texts
            )
        ]

    def clean(self):
        super().clean()
        errors = {}
        for name in self.texts:
            for language in LANGUAGES:
                field = f"{name}_{language}"
                value = getattr(self, field)
                clean = (
                    markup.strip_unsafe(value)[0]
                    if name in self.markdown
                    else markup.strip_html(value)[0]
                )
                if value != clean:
                    errors[field] = _("Remove the HTML and the unsafe links from this text.")
            translated = any(getattr(self, f"{name}_{lang}") for lang in LANGUAGES[1:])
            if translated and not getattr(self, f"{name}_{FIRST}"):
                errors[f"{name}_{FIRST}"] = _(
                    "Write the Kazakh text too: it is shown where a translation is missing."
                )
        if errors:
            raise ValidationError(errors)


class Contacts(models.Model):
    """Phones, email and map link: the same in every language."""

    phones = models.TextField(
        _("phones"),
        blank=True,
        validators=[validate_phone_lines],
        help_text=_("One number a line, for example +7 7172 12 34 56."),
    )
    email = models.EmailField(_("email"), blank=True)
    map_url = models.URLField(
        _("map link"),
        blank=True,
        validators=[https_only],
        help_text=_("A link to the place on a map (2GIS, Yandex or Google), https:// only."),
    )

    class Meta:
        abstract = True

    def phone_list(self):
        """(as written, for a tel: link) for each number; no link for a number written
        past the admin's check (the HOME_PHONE setting, say)."""
        numbers = []
        for line in self.phones.splitlines():
            if line.strip():
                try:
                    numbers.append((line.strip(), normalize_kz_phone(line)))
                except ValidationError:
                    numbers.append((line.strip(), ""))
        return numbers


class Home(Translated, Contacts):
    """The home itself: its name, the introduction on the home page, where it is, when
    it is open and when parents may visit. One row."""

    texts = ("name", "lead", "address", "office_hours", "visiting_hours")
    markdown = ("lead", "visiting_hours")
    required = ("name", "lead")

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)

    name_kk, name_ru, name_en = in_languages(
        models.CharField, _("name of the home"), required=True, max_length=200
    )
    lead_kk, lead_ru, lead_en = in_languages(
        models.TextField, _("introduction on the home page"), required=True
    )
    address_kk, address_ru, address_en = in_languages(
        models.CharField, _("address"), max_length=300
    )
    office_hours_kk, office_hours_ru, office_hours_en = in_languages(
        models.CharField, _("office hours"), max_length=200
    )
    visiting_hours_kk, visiting_hours_ru, visiting_hours_en = in_languages(
        models.TextField, _("visiting hours for parents")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("home and contacts")
        verbose_name_plural = _("home and contacts")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="home_one_row")]

    def __str__(self):
        return str(self.text("name"))

    @classmethod
    def load(cls):
        """The row; before there is one, what the HOME_* settings give."""
        home = cls.objects.filter(pk=1).first()
        if home is None:
            contact = settings.HOME_CONTACT
            home = cls(
                pk=1,
                name_kk=contact["name"],
                address_kk=contact["address"],
                office_hours_kk=contact["hours"],
                phones=contact["phone"],
                email=contact["email"],
            )
        return home


class ListedQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(shown=True)


class Listed(Translated):
    """An entry of a list on the public site, in the order of `position`."""

    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Smaller numbers come first.")
    )
    shown = models.BooleanField(
        _("shown on the site"),
        default=True,
        help_text=_("Untick to take it off the site; it stays here with its history."),
    )
    objects = ListedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Office(Listed, Contacts):
    """An office where a parent applies for the child's temporary placement."""

    texts = ("name", "address", "hours")
    required = ("name",)

    name_kk, name_ru, name_en = in_languages(
        models.CharField, _("name"), required=True, max_length=300
    )
    address_kk, address_ru, address_en = in_languages(
        models.CharField, _("address"), max_length=300
    )
    hours_kk, hours_ru, hours_en = in_languages(models.CharField, _("hours"), max_length=200)
    history = HistoricalRecords()

    class Meta(Listed.Meta):
        verbose_name = _("referral office")
        verbose_name_plural = _("referral offices")

    def __str__(self):
        return str(self.text("name"))


class Section(Listed):
    """A section of the information page (the home page)."""

    texts = ("title", "body")
    markdown = ("body",)
    required = ("title", "body")

    anchor = models.SlugField(
        _("anchor"),
        unique=True,
        help_text=_("Latin letters, digits and hyphens: the section's address is /kk/#anchor."),
    )
    title_kk, title_ru, title_en = in_languages(
        models.CharField, _("heading"), required=True, max_length=200
    )
    body_kk, body_ru, body_en = in_languages(models.TextField, _("text"), required=True)
    highlighted = models.BooleanField(
        _("highlighted"),
        default=False,
        help_text=_("Shown in a box at the top of the page, before the referral offices."),
    )
    history = HistoricalRecords()

    class Meta(Listed.Meta):
        verbose_name = _("section of the information page")
        verbose_name_plural = _("sections of the information page")

    def __str__(self):
        return str(self.text("title"))


class DocumentItem(Listed):
    """A paper a parent brings when the child is admitted."""

    texts = ("name", "note")
    required = ("name",)

    name_kk, name_ru, name_en = in_languages(
        models.CharField, _("document"), required=True, max_length=300
    )
    note_kk, note_ru, note_en = in_languages(models.CharField, _("note"), max_length=300)
    history = HistoricalRecords()

    class Meta(Listed.Meta):
        verbose_name = _("document to bring")
        verbose_name_plural = _("documents to bring")

    def __str__(self):
        return str(self.text("name"))


class Question(Listed):
    """A question parents ask, with its answer."""

    texts = ("question", "answer")
    markdown = ("answer",)
    required = ("question", "answer")

    question_kk, question_ru, question_en = in_languages(
        models.CharField, _("question"), required=True, max_length=300
    )
    answer_kk, answer_ru, answer_en = in_languages(models.TextField, _("answer"), required=True)
    history = HistoricalRecords()

    class Meta(Listed.Meta):
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")

    def __str__(self):
        return str(self.text("question"))


class AnnouncementQuerySet(models.QuerySet):
    def current(self, today):
        return self.filter(publish_on__lte=today).exclude(end_on__lt=today)


class Announcement(Translated):
    """News for parents (a changed phone, holiday hours), shown on the home page from
    its publication date to its end date."""

    texts = ("title", "body")
    markdown = ("body",)
    required = ("title", "body")

    title_kk, title_ru, title_en = in_languages(
        models.CharField, _("heading"), required=True, max_length=200
    )
    body_kk, body_ru, body_en = in_languages(models.TextField, _("text"), required=True)
    publish_on = models.DateField(_("shown from"), default=timezone.localdate)
    end_on = models.DateField(
        _("shown until"), null=True, blank=True, help_text=_("Leave empty to keep it shown.")
    )
    history = HistoricalRecords()
    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-publish_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("publish_on")),
                name="announcement_ends_after_it_begins",
                violation_error_message=_("An announcement cannot end before it is shown."),
            )
        ]

    def __str__(self):
        return str(self.text("title"))


# The models whose change refreshes the cached public pages (see stats.apps).
PUBLIC_CONTENT = (Home, Office, Section, DocumentItem, Question, Announcement)
