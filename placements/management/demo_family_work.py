"""The demo's work with the family (manage.py demo): a plan started in the first week,
goals answering the crisis, actions, a review each month, an inspection act in the
first month and one before a return, referrals with their answers. Written through the
services, as a social worker would; every text is fictitious and in Kazakh and Russian."""

import datetime

from crisisunit.lib.dates import add_months
from placements import services
from placements.models import Placement, PlanAction, PlanReview

DAY = datetime.timedelta(days=1)
# Per crisis reason: (area, goal, action, who, service referred to, organisation).
GOALS = {
    Placement.CrisisReason.RELATIONSHIP: [
        (
            "housing",
            "Тұрақты тұрғын үй табу. / Найти постоянное жильё.",
            "Тұрғын үй кезегіне тұру. / Встать в очередь на жильё.",
            "parent",
            "housing",
            "Астана қаласының тұрғын үй басқармасы (демо) / Жилищное управление (демо)",
        ),
        (
            "income",
            "Тұрақты табыс табу. / Найти постоянный доход.",
            "Жұмыспен қамту орталығына тіркелу. / Встать на учёт в центре занятости.",
            "parent",
            "employment",
            "Жұмыспен қамту орталығы (демо) / Центр занятости (демо)",
        ),
    ],
    Placement.CrisisReason.CRIMINAL: [
        (
            "documents",
            "Жеке куәлікті қалпына келтіру. / Восстановить удостоверение личности.",
            "ХҚКО-ға өтініш беру. / Подать заявление в ЦОН.",
            "social_worker",
            "legal",
            "Заң көмегі орталығы (демо) / Центр юридической помощи (демо)",
        ),
        (
            "relations",
            "Туыстардың қолдауын табу. / Найти поддержку родственников.",
            "Әжесімен кездесу өткізу. / Провести встречу с бабушкой.",
            "social_worker",
            "psychological",
            "Отбасын қолдау орталығы (демо) / Центр поддержки семьи (демо)",
        ),
    ],
    Placement.CrisisReason.MEDICAL: [
        (
            "health",
            "Емдеу курсын аяқтау. / Завершить курс лечения.",
            "Дәрігердің қорытындысын алу. / Получить заключение врача.",
            "parent",
            "treatment",
            "Қалалық емхана (демо) / Городская поликлиника (демо)",
        ),
        (
            "parenting",
            "Нәрестеге күтім жасауды үйрену. / Научиться уходу за младенцем.",
            "Ана мектебіне бару. / Посещать школу матери.",
            "specialist",
            "benefits",
            "Әлеуметтік қорғау бөлімі (демо) / Отдел соцзащиты (демо)",
        ),
    ],
}


def family_work(placement, parents, until, *, by, rng, returning=False):
    """The work with the family of `placement` up to `until`: nothing for a stay
    younger than a week; `returning`: a last review prepares the return and a last act
    finds a low risk."""
    if (until - placement.admitted_on).days < 7:
        return
    started_on = placement.admitted_on + rng.randint(2, 7) * DAY
    services.plan_start(placement=placement, started_on=started_on, by=by)
    goals, actions = [], []
    chosen = GOALS.get(placement.crisis_reason, GOALS[Placement.CrisisReason.RELATIONSHIP])
    for area, goal, what, who, service, organisation in chosen:
        goals.append(services.goal_add(placement=placement, area=area, description=goal, by=by))
        actions.append(
            services.action_add(
                placement=placement,
                goal=goals[-1],
                what=what,
                by_whom=who,
                due_on=started_on + rng.randint(14, 45) * DAY,
                by=by,
            )  # fmt: skip
        )
        referral = services.referral_send(
            placement=placement, parent=parents[0], service=service, organisation=organisation,
            sent_on=started_on + rng.randint(1, 5) * DAY, request=what, action=actions[-1], by=by,
        )  # fmt: skip
        _answer(referral, until, by=by, rng=rng)
    _act(placement, started_on + rng.randint(3, 20) * DAY, until, "medium", by=by)
    _reviews(placement, goals, started_on, until, returning, by=by, rng=rng)
    for action in actions:
        if action.due_on < until:
            done = rng.choice([PlanAction.Status.DONE, PlanAction.Status.DONE, "not_done"])
            reason = "Ана ауырып қалды. / Мать заболела." if done == "not_done" else ""
            services.action_update(action=action, status=done, not_done_reason=reason, by=by)
    if returning:  # before the application went to the authority
        _act(placement, until - 21 * DAY, until, "low", by=by)


def _answer(referral, until, *, by, rng):
    answered_on = referral.sent_on + rng.randint(3, 12) * DAY
    if answered_on > until:
        return  # still waiting
    status = rng.choice(["accepted", "given", "given", "refused"])
    outcome = {
        "given": "Көмек көрсетілді. / Помощь оказана.",
        "refused": "Құжаттар жетіспеді. / Не хватило документов.",
    }.get(status, "")
    services.referral_answer(
        referral=referral, status=status, answered_on=answered_on, outcome=outcome, by=by
    )


def _act(placement, day, until, risk, *, by):
    if day > until:
        return
    services.inspection_record(
        placement=placement,
        inspected_on=day,
        inspectors="Әлеуметова С., әлеуметтік қызметкер / социальный работник (демо)",
        address="Астана, Демо көшесі (ойдан шығарылған / вымышленный адрес)",
        housing="Бір бөлмелі жалдамалы пәтер. / Однокомнатная съёмная квартира.",
        income="Уақытша жұмыс. / Временная работа."
        if risk != "low"
        else "Тұрақты жұмыс. / Постоянная работа.",
        household="Ана және әжесі. / Мать и бабушка.",
        infant_sleeping="Балалар кереуеті бар. / Есть детская кроватка."
        if risk == "low"
        else "Кереует жоқ. / Кроватки нет.",
        infant_heating="Орталық жылыту. / Центральное отопление.",
        infant_water="Ыстық және суық су бар. / Есть горячая и холодная вода.",
        infant_sanitation="Қанағаттанарлық. / Удовлетворительно.",
        relations="Әжесі көмектеседі. / Бабушка помогает.",
        risks="" if risk == "low" else "Табыс тұрақсыз. / Доход нестабилен.",
        conclusion="Бала отбасына орала алады. / Ребёнок может вернуться в семью."
        if risk == "low"
        else "Жағдай әлі дайын емес. / Условия ещё не готовы.",
        risk_level=risk,
        risk_reason="Ана жұмыс істейді, пәтер жылы. / Мать работает, в квартире тепло."
        if risk == "low"
        else "Табыс тұрақсыз, кереует жоқ. / Доход нестабилен, нет кроватки.",
        by=by,
    )


def _reviews(placement, goals, started_on, until, returning, *, by, rng):
    held_on, step = add_months(started_on, 1), 1
    while held_on <= until:
        last = add_months(held_on, 1) > until
        step = min(step + rng.randint(0, 1), 4)
        decision = PlanReview.Decision.CONTINUE
        if last and returning:
            decision, step = PlanReview.Decision.PREPARE_RETURN, 4
        services.review_hold(
            placement=placement, held_on=held_on, parent_took_part=rng.random() > 0.2,
            participants="Ана, әлеуметтік қызметкер, психолог. / Мать, социальный работник, "
            "психолог.", decision=decision, note="",
            progress={goal.pk: min(step + n % 2, 4) for n, goal in enumerate(goals)}, by=by,
        )  # fmt: skip
        held_on = add_months(held_on, 1)
