"""The statuses and outcomes the constraints of several models are built from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class PlacementOutcome(models.TextChoices):
    RETURNED = "returned", _("returned to the biological family")
    GUARDIANSHIP = "guardianship", _("placed under guardianship or in a foster family")
    ADOPTED = "adopted", _("adopted")
    TRANSFERRED = "transferred", _("transferred to another institution")
    OTHER = "other", _("other")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
