"""The staff roles: groups holding the permissions below.

After every `migrate`, `ensure_roles` (connected to post_migrate in CrisisunitConfig)
creates any missing group and gives each at least these permissions, so that no
migration of one app has to depend on another's to grant them, and unapplying an app
never takes a role's permissions away. Taking a permission from a role is a migration
(see 0008_one_write_path)."""

from django.utils.translation import gettext, gettext_noop

# The groups' names in the database; shown to staff through `label`.
SOCIAL_WORKER = gettext_noop("Social worker")
MEDICAL_STAFF = gettext_noop("Medical staff")
ADMINISTRATOR = gettext_noop("Administrator")
CONTENT_EDITOR = gettext_noop("Content editor")

# The public site's content: edited by content editors and administrators; taken off
# the site by unticking "shown", never deleted. The home's row is changed, not added.
PUBLIC_CONTENT = [
    "content.change_home",
    "content.view_home",
    *(
        f"content.{action}_{model}"
        for model in ("announcement", "documentitem", "office", "question", "section")
        for action in ("add", "change", "view")
    ),
]

# The work with the family (the plan, its goals, actions and reviews, inspection acts,
# referrals): written by social workers and administrators. Medical staff read the
# plan and each act's date and risk level, never the act's findings nor the referrals.
FAMILY_WORK = [
    "placements.add_familyplan",
    "placements.view_familyplan",
    "placements.add_inspectionact",
    "placements.view_inspectionact",
    "placements.add_referral",
    "placements.change_referral",
    "placements.view_referral",
]


ROLES = {
    SOCIAL_WORKER: [
        "families.add_child",
        "families.add_childparent",
        "families.add_consent",
        "families.add_parent",
        "families.view_child",
        "families.view_childparent",
        "families.view_consent",
        "families.view_parent",
        "families.view_parent_iin",
        "families.change_parent_contacts",
        "placements.add_agreedvisit",
        "placements.add_consultation",
        "placements.add_contact",
        "placements.add_document",
        "placements.add_placement",
        "placements.add_returnapplication",
        "placements.add_task",
        "placements.add_visit",
        "placements.add_visitor",
        "placements.export_placements",
        "placements.record_followup",
        "placements.remove_document",
        "placements.view_document",
        "placements.review_returnapplication",
        "placements.view_consultation",
        "placements.view_followup",
        "placements.view_indicators",
        "placements.view_placement",
        "placements.view_returnapplication",
        "placements.view_termextension",
        "placements.view_visit",
        *(f"placements.view_{m}" for m in ("agreedvisit", "contact", "visitor")),
        *FAMILY_WORK,
    ],
    MEDICAL_STAFF: [
        "families.view_child",
        "families.view_childparent",
        "families.view_consent",
        "families.view_parent",
        "placements.add_consultation",
        "placements.add_task",
        "placements.view_consultation",
        "placements.view_familyplan",
        "placements.view_followup",
        "placements.view_placement",
        "placements.view_returnapplication",
        "placements.view_termextension",
        "placements.view_visit",
        *(f"placements.view_{m}" for m in ("agreedvisit", "contact", "visitor")),
    ],
    ADMINISTRATOR: [
        "axes.delete_accessattempt",
        "axes.view_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
        "crisisunit.reset_second_factor",
        "crisisunit.view_readaccess",
        "families.add_child",
        "families.add_childparent",
        "families.add_consent",
        "families.add_parent",
        "families.change_child",
        "families.change_childparent",
        "families.change_consent",
        "families.change_parent",
        "families.change_parent_contacts",
        "families.view_parent_iin",
        "families.view_child",
        "families.view_childparent",
        "families.view_consent",
        "families.view_parent",
        "placements.add_agreedvisit",
        "placements.add_consultation",
        "placements.add_contact",
        "placements.add_document",
        "placements.add_placement",
        "placements.add_returnapplication",
        "placements.add_task",
        "placements.add_termextension",
        "placements.add_visit",
        "placements.add_visitor",
        *(f"placements.view_{m}" for m in ("agreedvisit", "contact", "visitor")),
        *FAMILY_WORK,
        "placements.approve_returnapplication",
        "placements.change_consultation",
        "placements.change_contact",
        "placements.change_followup",
        "placements.change_placement",
        "placements.change_returnapplication",
        "placements.change_termextension",
        "placements.change_visit",
        "placements.export_personal_data",
        "placements.export_placements",
        "placements.import_caseload",
        "placements.record_followup",
        "placements.remove_document",
        "placements.view_document",
        "placements.review_returnapplication",
        "placements.view_consultation",
        "placements.view_followup",
        "placements.view_indicators",
        "placements.view_placement",
        "placements.view_reminderlog",
        "placements.view_returnapplication",
        "placements.view_termextension",
        "placements.view_visit",
        "stats.add_yearlyfigure",
        "stats.view_period_report",
        "stats.change_yearlyfigure",
        "stats.view_yearlyfigure",
        "team.manage_staff",
        "team.view_staffchange",
        *PUBLIC_CONTENT,
    ],
    # Edits the public site, and sees no case data.
    CONTENT_EDITOR: PUBLIC_CONTENT,
}


def ensure_roles(**kwargs):
    """Create the roles and grant their permissions; what is there already is kept."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.management import create_contenttypes

    using = kwargs.get("using", "default")
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    permissions = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role, wanted in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.add(*(permissions[name] for name in wanted))


# The specialist a consultation logged by each role is preset to (Consultation.Specialist).
SPECIALIST = {MEDICAL_STAFF: "doctor", SOCIAL_WORKER: "social_worker"}


def specialist_of(user) -> str:
    """The specialist `user`'s role makes them, or "" (an administrator chooses)."""
    for group in user.groups.all():
        if group.name in SPECIALIST:
            return SPECIALIST[group.name]
    return ""


def label(group) -> str:
    """A group's name in the reader's language."""
    return gettext(group.name)


def members(role):
    """The users who hold `role`, sorted by name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__name=role)
        .order_by("last_name", "first_name", "username")
    )


def assignable():
    """Who may be a placement's assigned social worker: the active members of the
    social workers' role (never an administrator or a doctor as such). The one rule:
    Placement.clean enforces it, and every picker of a social worker offers these."""
    return members(SOCIAL_WORKER).filter(is_active=True)


def may_be_assigned(user) -> bool:
    """Whether `user` may be a placement's assigned social worker (see assignable);
    asked once per user object (an import asks it for each of thousands of rows)."""
    if not hasattr(user, "_may_be_assigned"):
        user._may_be_assigned = bool(user.pk) and assignable().filter(pk=user.pk).exists()
    return user._may_be_assigned
