import pytest


def test_the_root_sends_a_visitor_to_their_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru")["Location"] == "/ru/"


def test_the_root_falls_back_to_kazakh(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/kk/"


@pytest.mark.parametrize(
    ("language", "text"),
    [("kk", "Қызметкерлерге кіру"), ("ru", "Вход для сотрудников"), ("en", "Staff sign-in")],
)
def test_the_front_page_speaks_each_language(client, language, text):
    page = client.get(f"/{language}/")

    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.content.decode()
    assert text in page.content.decode()
