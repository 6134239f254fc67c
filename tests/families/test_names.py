"""How the demo and the synthetic seed spell a person's names (families/names.py)."""

from families.models import Sex
from families.names import gendered


def test_a_surname_takes_the_womans_form_once():
    """A woman's surname typed as such is kept, never doubled (Сейітоваа)."""
    assert gendered("Сейітов", Sex.FEMALE) == "Сейітова"
    assert gendered("Сейітова", Sex.FEMALE) == "Сейітова"
    assert gendered("Никитин", Sex.FEMALE) == "Никитина"
    assert gendered("Серікұлы", Sex.FEMALE) == "Серікқызы"
    assert gendered("Серікқызы", Sex.FEMALE) == "Серікқызы"
    assert gendered("Сейітов", Sex.MALE) == "Сейітов"
