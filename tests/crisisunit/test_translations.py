import ast
import re
from pathlib import Path

import django
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from crisisunit.lib.iin import parse_iin

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _catalog(language):
    return _catalog_of(LOCALE / language / "LC_MESSAGES" / "django.po")


def _catalog_of(path):
    """The live entries of a .po file as dicts (msgctxt, msgid, msgid_plural, msgstr...);
    a small reader, enough for gettext's own output."""
    entries, current, field = [], {}, None
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            if current.get("msgid"):
                entries.append(current)
            current, field = ({}, None) if not line.strip() else (current, field)
            if line.startswith("#,") and "fuzzy" in line:
                current["fuzzy"] = True
            continue
        if line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            field, _, literal = line.partition(" ")
            current[field] = ast.literal_eval(literal)
        else:
            current[field] += ast.literal_eval(line)
    if current.get("msgid"):
        entries.append(current)
    return entries


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_is_translated_and_compiled(language):
    entries = _catalog(language)
    assert len(entries) > 100

    with translation.override(language):
        for entry in entries:
            assert not entry.get("fuzzy"), entry["msgid"]
            if "msgid_plural" in entry:
                forms = [v for k, v in entry.items() if k.startswith("msgstr[")]
                assert forms and all(forms), f"untranslated in {language}: {entry['msgid']}"
                assert translation.ngettext(entry["msgid"], entry["msgid_plural"], 1) == forms[0]
                continue
            assert entry.get("msgstr"), f"untranslated in {language}: {entry['msgid']}"
            compiled = (
                translation.pgettext(entry["msgctxt"], entry["msgid"])
                if "msgctxt" in entry
                else translation.gettext(entry["msgid"])
            )
            assert compiled == entry["msgstr"], (
                f"{language}: the .mo is older than the .po for {entry['msgid']!r}; "
                "run manage.py compilemessages"
            )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "ЖСН-нің бақылау цифры"), ("ru", "Контрольная цифра ИИН"), ("en", "check digit")],
)
def test_validation_messages_come_in_the_users_language(language, expected):
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            parse_iin("900101300018")
        message = error.value.messages[0]  # lazy: rendered in the active language

    assert expected in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"), [("kk", "Орналастырулар"), ("ru", "Пребывания детей")]
)
def test_the_admin_speaks_the_staffs_language(client, social_worker, accept, expected):
    client.force_login(social_worker)

    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=accept)

    assert expected in page.content.decode()


DJANGO = Path(django.__file__).resolve().parent
# Kazakh renders these as they are.
SAME_IN_KAZAKH = {"%(class_name)s %(instance)s", "…"}


@pytest.mark.parametrize("package", ["contrib/admin", "contrib/auth"])
def test_everything_django_shows_staff_in_the_admin_is_kazakh(package):
    # Django's complete Russian catalog lists every message of the package.
    entries = _catalog_of(DJANGO / package / "locale" / "ru" / "LC_MESSAGES" / "django.po")

    with translation.override("kk"):
        missing = [
            e["msgid"] for e in entries if e["msgid"] not in SAME_IN_KAZAKH and _kk(e) == e["msgid"]
        ]

    assert missing == []


def _kk(entry):
    if "msgid_plural" in entry:
        return translation.ngettext(entry["msgid"], entry["msgid_plural"], 1)
    if "msgctxt" in entry:
        return translation.pgettext(entry["msgctxt"], entry["msgid"])
    return translation.gettext(entry["msgid"])


@pytest.mark.django_db
def test_the_admin_calendar_speaks_kazakh(client, social_worker):
    client.force_login(social_worker)

    script = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()

    assert "\\u049a\\u0430\\u04a3\\u0442\\u0430\\u0440" in script or "Қаңтар" in script


@pytest.mark.django_db
def test_a_kazakh_phrase_with_a_date_puts_the_date_where_kazakh_does(
    client, social_worker, make_placement, today
):
    placement = make_placement(days_ago=9)  # overdue, with no visit since admission
    client.force_login(social_worker)

    html = client.get("/staff/", headers={"accept-language": "kk"}).content.decode()

    admitted = placement.admitted_on.strftime("%d.%m.%Y")
    assert f"{admitted} қабылданғаннан бері бір де бір келу жоқ" in html
    assert f"келу жоқ {admitted}" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_admin_writes_dates_as_the_workspace_does(
    client, administrator, make_placement, make_visit, language
):
    visit = make_visit(make_placement(days_ago=20), days_ago=3)
    client.force_login(administrator)

    html = client.get(
        "/admin/placements/visit/", headers={"accept-language": language}
    ).content.decode()

    when = timezone.localtime(visit.visited_at)
    assert when.strftime("%d.%m.%Y %H:%M") in html
    assert "a.m." not in html and "p.m." not in html and " г." not in html


@pytest.mark.django_db
def test_the_admins_search_boxes_speak_kazakh(client, administrator):
    administrator.language = "kk"
    administrator.save()
    client.force_login(administrator)

    html = client.get("/admin/placements/visit/add/").content.decode()

    assert "admin/js/vendor/select2/i18n/kk.js" in html
    script = Path(__file__).resolve().parents[2] / "static/admin/js/vendor/select2/i18n/kk.js"
    assert '"select2/i18n/kk"' in script.read_text() and "Тағы нәтижелер жүктелуде" in (
        script.read_text()
    )


def test_the_catalogs_keep_the_glossarys_terms():
    """translations.md: nothing promises advice free of charge (the home's notice does
    not); Cancel is «Болдырмау» (the terms the glossary bars: test_no_text_uses_…)."""
    ru = {e["msgid"]: e.get("msgstr", "") for e in _catalog("ru")}
    kk = {e["msgid"]: e.get("msgstr", "") for e in _catalog("kk")}

    assert not [m for m in ru.values() if "бесплатн" in m]
    assert not [m for m in kk.values() if "тегін" in m]
    assert kk["Cancel"] == "Болдырмау" and ru["Cancel"] == "Отмена"
    assert "контроль после возвращения" in ru["follow-up after the return"]
    assert "бақылау" in kk["follow-up after the return"]


@pytest.mark.django_db
def test_the_texts_that_name_a_threshold_follow_its_setting(client, social_worker, settings):
    settings.VISIT_DUTY_DAYS = 10
    settings.REENTRY_MONTHS = 18
    client.force_login(social_worker)

    dashboard = client.get("/staff/").content.decode()
    indicators = client.get("/staff/indicators/").content.decode()

    assert "No parent has visited for more than 10 days" in dashboard
    assert "Re-entry within 18 months" in indicators
    assert "within 18 months of that return" in indicators


def _texts(language):
    """Every translated text of a catalog, plural forms included."""
    return [
        value
        for entry in _catalog(language)
        for key, value in entry.items()
        if key.startswith("msgstr") and value
    ]


def test_the_glossary_of_issue_36_holds_in_every_text():
    """translations.md #1, #2, #6, #8: the home *received* the document; the unit is
    «дағдарыстық бөлім»; a discarded file is deleted (the wordings the glossary bars are
    test_no_text_uses_a_term_the_glossary_bars's)."""
    kk = _texts("kk")
    ru_by_id = {e["msgid"]: e.get("msgstr", "") for e in _catalog("ru")}
    kk_by_id = {e["msgid"]: e.get("msgstr", "") for e in _catalog("kk")}

    assert ru_by_id["Accepted by the home"] == "Принято домом ребёнка"
    assert kk_by_id["Accepted by the home"] == "Балалар үйі қабылдады"
    assert not [t for t in kk if "бөлімше" in t]
    assert kk_by_id["Discard the file"] == "Файлды жою"
    assert ru_by_id["Discard the file"] == "Удалить файл"


@pytest.mark.django_db
@pytest.mark.parametrize("days", [1, 2, 5, 14, 21, 22, 25, 31])
def test_russian_day_counts_read_right_for_any_setting(days):
    """translations.md #16: «в ближайший 21 день»; the forms now hold for any number."""
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("ru"):
        text = ngettext(
            "Planned end within the next %(days)s day",
            "Planned end within the next %(days)s days",
            days,
        ) % {"days": days}

    expected = "дня" if days % 10 == 1 and days % 100 != 11 else "дней"
    assert text == f"Плановое окончание в течение {days} {expected}"


@pytest.mark.parametrize(
    ("years", "russian"),
    [(18, "исполнилось 18 лет"), (21, "исполнился 21 год"), (22, "исполнилось 22 года")],
)
def test_the_age_refusal_agrees_with_any_age_limit(settings, years, russian):
    """translations.md #17: the admission age limit is a setting."""
    import datetime

    from django.utils import translation

    from placements.models import Placement

    settings.ADMISSION_MAX_AGE_YEARS = years
    stay = Placement(admitted_on=datetime.date(2026, 1, 1))
    with translation.override("ru"):
        refusal = stay.admission_refusal(datetime.date(2026 - years - 1, 1, 1))

    assert russian in refusal


@pytest.mark.django_db
def test_the_russian_admins_related_links_keep_their_title_attribute_whole(client, administrator):
    """Translations #15: «…объект типа "группа"» ended the title attribute early."""
    administrator.language = "ru"
    administrator.save()
    client.force_login(administrator)

    page = client.get("/admin/placements/visit/add/").content.decode()

    assert 'объект типа "' not in page
    assert "объект типа «" in page


@pytest.mark.django_db
def test_the_group_page_offers_no_english_permission_names(client, django_user_model):
    """Translations #12: "backup code", "Can reset…", "Otp_Totp | TOTP device"."""
    from django.contrib.auth.models import Group

    root = django_user_model.objects.create_superuser("root", password="x" * 20, language="ru")
    client.force_login(root)
    group = Group.objects.get(name="Social worker")

    page = client.get(f"/admin/auth/group/{group.pk}/change/").content.decode()

    assert "Otp_Totp" not in page and "TOTP device" not in page
    assert "Can reset a member of staff" not in page
    assert "Может сбрасывать второй фактор сотрудника" in page
    assert "backup code<" not in page


def test_the_kazakh_admin_selects_all_without_raw_plural_syntax():
    """Accessibility #6: "one: 123 таңдалды other: Барлығы 123 таңдалды"."""
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("kk"):
        text = ngettext("%(total_count)s selected", "All %(total_count)s selected", 123)

    assert text % {"total_count": 123} == "Барлығы 123 таңдалды"


# The glossary (docs/glossary.md) as the checks read it: what each language's column bars.
GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
COLUMNS = {"kk": 2, "ru": 3}  # | English | Kazakh | Russian |


def glossary_bars(language):
    """[(a pattern no text may match, the glossary row it comes from)] for `language`:
    a term the glossary bars ("not «…»", "never «…»"), unless it stands inside the
    row's own term (Russian «о возвращении» is barred but in «о возвращении ребёнка»),
    and a word it bars alone ("«X» alone … never without «Y»")."""
    bars = []
    for line in GLOSSARY.read_text().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) < 5 or not cells[1] or set(cells[1]) <= {"-", " "}:
            continue
        cell = cells[COLUMNS[language]]
        preferred = re.split(r"[(;]", cell)[0].strip()
        barred_terms = re.findall(r"(?:not|never) «([^»]+)»", cell)
        if "one wording" in cell:  # every other wording the cell names is barred
            barred_terms = re.findall(r"«([^»]+)»", cell.split("(", 1)[1])
        for barred in barred_terms:
            after = preferred.split(barred, 1)[1] if barred in preferred else None
            allowed = rf"(?!{re.escape(after)})" if after else ""
            bars.append((re.compile(re.escape(barred) + allowed, re.I), cells[1]))
        for word, partner in re.findall(r"«(\w+)» alone.*?without «(\w+)»", cell):
            stem = re.escape(word[:-1])
            pattern = rf"{stem}\w*+(?!\s+{re.escape(partner)})"
            bars.append((re.compile(pattern, re.I), cells[1]))
    return bars


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_text_uses_a_term_the_glossary_bars(language):
    """Issue 36 item 5: the check reads docs/glossary.md, the one copy of the glossary."""
    bars = glossary_bars(language)
    found = [
        (row, text) for text in _texts(language) for pattern, row in bars if pattern.search(text)
    ]

    assert bars and found == []


def test_the_glossary_check_sees_a_barred_term():
    ru, kk = glossary_bars("ru"), glossary_bars("kk")

    def barred(bars, text):
        return any(pattern.search(text) for pattern, _row in bars)

    assert barred(ru, "Заявление о возврате ребёнка")
    assert barred(ru, "Заявления о возвращении рассмотрены")
    assert not barred(ru, "Одобрение заявлений о возвращении ребёнка")
    assert barred(ru, "Подпись от дома ребёнка")
    assert barred(ru, "Помещение закрыто") and not barred(ru, "помещение ребёнка в дом")
    assert barred(kk, "Бас тарту") and barred(kk, "файлдан бас тарту")
    assert not barred(kk, "Болдырмау")
