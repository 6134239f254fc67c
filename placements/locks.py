"""The one order in which every write of a case takes its locks.

A write locks, in this order and each group by id: the placements it touches together
with every stay of the children it touches (the earlier stays of a child coming back
into care, say), then those children, then the parents, and last the record it writes
(a visit, a follow-up, an application), which the service locks itself. Two writes
that touch the same rows therefore queue one behind the other and never wait on each
other in a circle (a deadlock); tests/placements/test_lock_order.py runs the pairs
that can meet on PostgreSQL."""

from collections.abc import Iterable

from django.db.models import Q

from families.models import Child, Parent
from placements.models import Placement


def lock_case(
    *,
    placements: Iterable[int] = (),
    children: Iterable[int] = (),
    parents: Iterable[int] = (),
) -> dict[int, Placement]:
    """Lock until the transaction ends the placements `placements` (pks) and every stay
    of the children `children`, then the children of all of them, then the parents
    `parents`. Returns the locked placements by pk; a pk not found raises
    Placement.DoesNotExist, as `get` would."""
    wanted, child_pks = set(placements), set(children)
    locked: dict[int, Placement] = {}
    if wanted or child_pks:
        query = Placement.objects.select_for_update().filter(
            Q(pk__in=wanted) | Q(child_id__in=child_pks)
        )
        locked = {p.pk: p for p in query.order_by("pk")}
        if wanted - set(locked):
            raise Placement.DoesNotExist(f"placements {sorted(wanted - set(locked))}")
    child_pks |= {p.child_id for p in locked.values()}
    _lock_rows(Child, child_pks)
    _lock_rows(Parent, set(parents))
    return locked


def lock_placement(pk: int) -> Placement:
    """The placement, locked until the transaction ends, then its child."""
    return lock_case(placements=[pk])[pk]


def _lock_rows(model: type[Child] | type[Parent], pks: set[int]) -> None:
    if pks:
        rows = model.objects.select_for_update().filter(pk__in=pks).order_by("pk")
        list(rows.values_list("pk", flat=True))
