"""The public content as it was written into the templates until now, in kk, ru and
en (first_content.json, a copy that never changes). Each row starts its history here.
The home's contacts from the HOME_* settings are applied after `migrate` by
content.first_run (a migration reads no setting)."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

LANGUAGES = ("kk", "ru", "en")
REASON = "first content"


def _texts(values):
    """{"title": {"kk": …}} → {"title_kk": …, "title_ru": …, "title_en": …}"""
    return {f"{name}_{lang}": text[lang] for name, text in values.items() for lang in LANGUAGES}


def _create(apps, model_name, **fields):
    model = apps.get_model("content", model_name)
    obj = model.objects.create(**fields)
    history = apps.get_model("content", f"Historical{model_name}")
    history.objects.create(
        **{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="+",
        history_change_reason=REASON,
    )


def fill(apps, schema_editor):
    if apps.get_model("content", "Home").objects.exists():
        return  # applied again after being unapplied: the site's content was kept
    first = json.loads((Path(__file__).parent / "first_content.json").read_text("utf-8"))
    home = _texts(first["home"])
    _create(apps, "Home", id=1, phones="", email="", **home)
    for position, section in enumerate(first["sections"], 1):
        _create(
            apps,
            "Section",
            position=position * 10,
            anchor=section["anchor"],
            highlighted=section["highlighted"],
            **_texts({"title": section["title"], "body": section["body"]}),
        )
    for model_name, key in (("Office", "offices"), ("DocumentItem", "documents"), ("Question", "questions")):
        for position, values in enumerate(first[key], 1):
            _create(apps, model_name, position=position * 10, **_texts(values))


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    # Unapplied, it deletes nothing: the home's edited content and its history stay
    # (reliability finding 5: it emptied every content table and their history).
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
