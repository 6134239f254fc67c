"""The forms that take a file: a scan kept with the case, and a caseload spreadsheet
to import. They only validate; the views call the services."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisunit import roles
from crisisunit.lib.forms import (
    CapitalizedLabels,
    DateInput,
)
from crisisunit.lib.tabular import TableError, read_table
from placements.models import (
    Document,
)
from placements.services.documents import check_upload


class CaseloadFileForm(CapitalizedLabels, forms.Form):
    """A caseload spreadsheet to check: readable, not too large, with rows."""

    file = forms.FileField(
        label=_("spreadsheet"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, in the template's columns."),
        error_messages={
            "required": _("Choose the file to import."),
            "empty": _("The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    social_worker = forms.ModelChoiceField(
        label=_("social worker for rows that name none"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Choose an active social worker.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_worker"].queryset = roles.assignable()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB.") % {"max": limit // (1024 * 1024)}
            )
        content = upload.read()
        try:
            table = read_table(content, max_rows=settings.IMPORT_MAX_ROWS)
        except TableError as error:
            raise forms.ValidationError(error.message) from None
        self.cleaned_data["content"], self.cleaned_data["table"] = content, table
        return upload

    def file_name(self) -> str:
        """The file's own name, without folders or control characters."""
        name = self.cleaned_data["file"].name.replace("\\", "/").rsplit("/", 1)[-1]
        name = "".join(ch for ch in name if ch.isprintable()).strip(" .")
        return name or "file"


class DocumentForm(CapitalizedLabels, forms.ModelForm):
    """A scan to keep with the case: its kind, date, a note, the parent it is about."""

    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, JPEG or PNG."),
        error_messages={"required": _("Choose the file."), "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    class Meta:
        model = Document
        fields = ["kind", "dated_on", "parent", "note"]
        widgets = {"dated_on": DateInput}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = placement.child.parents.all()
        self.fields["dated_on"].initial = timezone.localdate()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)  # a ValidationError shows beside the field
        return upload


class DocumentRemovalForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the removal"),
        max_length=300,
        error_messages={"required": _("Say why the document is removed.")},
    )
