"""The public pages a parent looks for: contacts and how to get here, the documents
to bring, questions and answers. Kept whole like every public page
(crisisunit.caching); a change in the admin refreshes them (stats.apps)."""

from django.shortcuts import render

from content.models import DocumentItem, Home, Office, Question
from crisisunit.caching import public_page


@public_page
def contacts(request):
    return render(
        request,
        "content/contacts.html",
        {"home": Home.load(), "offices": Office.objects.shown()},
    )


@public_page
def documents(request):
    return render(request, "content/documents.html", {"documents": DocumentItem.objects.shown()})


@public_page
def questions(request):
    return render(request, "content/questions.html", {"questions": Question.objects.shown()})
