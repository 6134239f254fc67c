"""Fictitious people who read like a real register of Astana: Kazakh and Russian
surnames, given names and patronymics in the forms of each sex, for the demo and the
synthetic data of the benchmarks. Common names, as real people have them: two
"Айгерім Серікқызы" may well be on file (with different dates of birth, which is how
the intake and the import tell people apart)."""

import random
from typing import Any

from families.models import Sex

# Surnames in their men's form; women's forms by `gendered` (-ов → -ова, -ин → -ина,
# -ұлы → -қызы).
KAZAKH_SURNAMES = [
    "Ахметов",
    "Әбенов",
    "Әбділдаев",
    "Әлімов",
    "Әміров",
    "Әубәкіров",
    "Байжанов",
    "Байтұрсынов",
    "Бақытов",
    "Бейсенов",
    "Бекетов",
    "Бекмұханбетов",
    "Дәулетов",
    "Досанов",
    "Ержанов",
    "Есенов",
    "Есімов",
    "Жақыпов",
    "Жанкелдиев",
    "Жармұхамедов",
    "Жолдасбеков",
    "Жұмабаев",
    "Жүсіпов",
    "Ибраев",
    "Ілиясов",
    "Исаев",
    "Кенжебаев",
    "Қайратов",
    "Қалиев",
    "Қасымов",
    "Қожахметов",
    "Құдайбергенов",
    "Құрманов",
    "Мақсұтов",
    "Мұратов",
    "Мұхамедов",
    "Мырзахметов",
    "Нұрғалиев",
    "Нұрмағамбетов",
    "Нұрланов",
    "Омаров",
    "Оразов",
    "Оспанов",
    "Рахымов",
    "Сапаров",
    "Сәрсенбаев",
    "Сейтқалиев",
    "Серікбаев",
    "Смағұлов",
    "Сұлтанов",
    "Талғатов",
    "Тәжибаев",
    "Тоқтаров",
    "Төлегенов",
    "Тұрсынов",
    "Үсенов",
    "Шайхиев",
    "Шәкенов",
    "Ыбыраев",
    "Нұрланұлы",
    "Серікұлы",
    "Қасымұлы",
    "Ержанұлы",
    "Бекболатұлы",
]
RUSSIAN_SURNAMES = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
]
GIVEN = {
    (Sex.FEMALE, "kk"): [
        "Айгерім",
        "Әйгерім",
        "Айнұр",
        "Ақбота",
        "Аружан",
        "Әсел",
        "Балнұр",
        "Гаухар",
        "Гүлжан",
        "Гүлнар",
        "Дана",
        "Дариға",
        "Динара",
        "Жанар",
        "Жансая",
        "Жұлдыз",
        "Зарина",
        "Индира",
        "Камила",
        "Қарлығаш",
        "Ләззат",
        "Мадина",
        "Мөлдір",
        "Назерке",
        "Нұргүл",
        "Перизат",
        "Сәуле",
        "Томирис",
        "Ұлжан",
        "Шынар",
        "Айсұлу",
        "Амина",
        "Інкәр",
        "Асель",
    ],
    (Sex.FEMALE, "ru"): [
        "Ольга",
        "Анна",
        "Мария",
        "Елена",
        "Наталья",
        "Татьяна",
        "Ирина",
        "Светлана",
        "Екатерина",
        "Юлия",
        "Виктория",
        "Анастасия",
        "Дарья",
        "Ксения",
        "Алина",
        "Полина",
        "Вероника",
    ],
    (Sex.MALE, "kk"): [
        "Ерлан",
        "Арман",
        "Нұрлан",
        "Серік",
        "Қайрат",
        "Дәулет",
        "Асқар",
        "Бауыржан",
        "Ғалым",
        "Ержан",
        "Жандос",
        "Мейіржан",
        "Нұрсұлтан",
        "Олжас",
        "Рүстем",
        "Самат",
        "Талғат",
        "Тимур",
        "Ұлан",
        "Айбек",
        "Әлихан",
        "Бекзат",
        "Данияр",
        "Ернар",
        "Мирас",
        "Бекболат",
        "Дархан",
        "Ерасыл",
        "Санжар",
        "Алихан",
    ],
    (Sex.MALE, "ru"): [
        "Иван",
        "Алексей",
        "Дмитрий",
        "Сергей",
        "Андрей",
        "Михаил",
        "Николай",
        "Павел",
        "Владимир",
        "Максим",
        "Артём",
        "Кирилл",
        "Денис",
        "Роман",
    ],
}
# Russian-style patronymics of names whose stem changes.
_STEMS = {"Михаил": "Михайл", "Павел": "Павл", "Артём": "Артём"}


def gendered(surname: str, sex: str) -> str:
    """A Kazakh or Russian surname in the form for `sex`: Ахметов, Ахметова;
    Никитин, Никитина; Серікұлы, Серікқызы."""
    if sex == Sex.MALE:
        return surname
    if surname.endswith("ұлы"):
        return surname[: -len("ұлы")] + "қызы"
    if surname.endswith(("а", "қызы")):
        return surname  # already a woman's form: Сейітова stays Сейітова
    return surname[:-1] + "ва" if surname.endswith("в") else surname + "а"


def patronymic(father: str, sex: str, *, kazakh: bool) -> str:
    """From the father's given name: Серікұлы / Серікқызы, or Серікович / Сериковна;
    Алексеевич, Дмитриевна, Николаевич, Михайлович."""
    if kazakh:
        return father + ("ұлы" if sex == Sex.MALE else "қызы")
    if father.endswith(("ей", "ай", "ий")):  # Алексе-евич, Никола-евич, Дмитри-евич
        stem = father[:-1] + "е"
    else:
        stem = _STEMS.get(father, father) + "о"
    return stem + ("вич" if sex == Sex.MALE else "вна")


class NameMaker:
    """Draws names from `rng` (repeatable with a seeded one). About three families in
    four are Kazakh, as in Astana; a person is never drawn twice with the same full
    name and date of birth, so the intake's and the import's "same person" check never
    takes two of them for one."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.taken: set[Any] = set()

    def family_surname(self) -> tuple[str, bool]:
        """(a surname in its men's form, whether the family is Kazakh)."""
        kazakh = self.rng.random() < 0.75
        return self.rng.choice(KAZAKH_SURNAMES if kazakh else RUSSIAN_SURNAMES), kazakh

    def given(self, sex: str, *, kazakh: bool) -> str:
        # A Kazakh family gives a Russian name now and then, and the other way round.
        language = "kk" if kazakh == (self.rng.random() < 0.9) else "ru"
        return self.rng.choice(GIVEN[(Sex(sex), language)])

    def person(self, surname: str, sex: str, born, *, kazakh: bool, father: str | None = None):
        """(given name, patronymic) for someone of `surname` born on `born`; the
        patronymic from `father`'s name, or from a name drawn for an unknown father."""
        for _try in range(50):
            given = self.given(sex, kazakh=kazakh)
            dad = father or self.given(Sex.MALE, kazakh=kazakh)
            kazakh_style = kazakh and (dad in GIVEN[(Sex.MALE, "kk")]) and self.rng.random() < 0.5
            middle = patronymic(dad, sex, kazakh=kazakh_style)
            key = hash((gendered(surname, sex), given, middle, born))  # 100,000s of them
            if key not in self.taken:
                self.taken.add(key)
                return given, middle
        raise RuntimeError(f"no new name left for {surname}, {born}")  # not at any real scale
