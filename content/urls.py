from django.urls import path

from content import views

app_name = "content"

# Under the language prefix: /kk/contacts/, /ru/contacts/, /en/contacts/.
urlpatterns = [
    path("contacts/", views.contacts, name="contacts"),
    path("documents/", views.documents, name="documents"),
    path("questions/", views.questions, name="questions"),
]
