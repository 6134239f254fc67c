"""What a member of staff may see of a person, decided here and nowhere else.

Every case viewer sees the child's names, date of birth, sex and IIN and the parents'
names, dates of birth, phones and addresses (a doctor calls a mother about her child's
health as a social worker calls her about a visit). A parent's IIN is seen only with
the permission `families.view_parent_iin` (social workers and administrators; not
medical staff): not on a page, not in a printout or an export, and it is not searched
by, in the workspace, the admin or an autocomplete, so that a search cannot be asked
whose child an IIN belongs to. Of the work with the family, medical staff see the plan
and each inspection act's date and risk level, not what the act found nor the
referrals to services (a treatment, legal aid).

Pages, printouts and exports ask `sees(user, DETAIL)` or pass `shown(user)` to a
template (`{% if "parent_iin" in shown %}`); searches ask `searchable(user, …)`."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model

PARENT_IIN = "parent_iin"
PARENT_PHONE = "parent_phone"
PARENT_ADDRESS = "parent_address"
# What an inspection act found in a family's home (its sections and conclusion; the
# date and the risk level are seen with the plan), and the services a parent was
# referred to (treatment, legal aid): social workers and administrators.
INSPECTION_FINDINGS = "inspection_findings"
REFERRALS = "referrals"

# detail -> the permission that shows it
NEEDS = {
    PARENT_IIN: "families.view_parent_iin",
    PARENT_PHONE: "families.view_parent",
    PARENT_ADDRESS: "families.view_parent",
    INSPECTION_FINDINGS: "placements.view_inspectionact",
    REFERRALS: "placements.view_referral",
}
# (model label, field) -> the detail it holds
FIELDS = {
    ("families.parent", "iin"): PARENT_IIN,
    ("families.parent", "phone"): PARENT_PHONE,
    ("families.parent", "address"): PARENT_ADDRESS,
}


def sees(user, detail: str) -> bool:
    return user.has_perm(NEEDS[detail])


def shown(user) -> frozenset[str]:
    """Every detail `user` may see."""
    return frozenset(detail for detail in NEEDS if sees(user, detail))


def seen(record: Model, field: str, shown: frozenset[str]):
    """`record.field`, or "" where it is a detail not in `shown`."""
    detail = FIELDS.get((record._meta.label_lower, field))
    return getattr(record, field) if detail is None or detail in shown else ""


def searchable(user, model: type[Model], search_fields) -> list[str]:
    """The admin's `search_fields` of `model` less those that reach a detail `user` may
    not see (`child__parents__iin` as much as `iin` on the parent itself)."""
    return [
        field
        for field in search_fields
        if (detail := _detail(model, field)) is None or sees(user, detail)
    ]


def _detail(model, path: str) -> str | None:
    path = path.lstrip("^=@")  # the admin's lookup prefixes
    *relations, name = path.split("__")
    for relation in relations:
        try:
            model = model._meta.get_field(relation).related_model
        except FieldDoesNotExist:
            return None
        if model is None:
            return None
    return FIELDS.get((model._meta.label_lower, name))
