from django.shortcuts import render


def home(request):
    """A plain front page until the public information pages exist."""
    return render(request, "home.html")
