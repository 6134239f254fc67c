from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.templatetags.static import static
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from crisisunit import throttle
from crisisunit.caching import LOW_VISION_COOKIE
from crisisunit.forms import StaffLoginForm


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /staff/",
        "Disallow: /accessibility/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    return HttpResponseRedirect(static("img/favicon.svg"))


@require_GET
def low_vision(request):
    """Turn the low-vision mode on (?on=1) or off, remember it in a cookie, and go back
    to the page the visitor came from. A plain link, so it works without JavaScript."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(
            LOW_VISION_COOKIE,
            "on",
            max_age=365 * 24 * 60 * 60,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(LOW_VISION_COOKIE, samesite="Lax")
    return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked sign-in (429): which lock holds, and for how long
    (crisisunit/throttle.py)."""
    context = {
        "lock": throttle.wider_lock(request, credentials) or throttle.PAIR,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "username_limit": settings.LOGIN_USERNAME_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "staff/locked_out.html", context, status=429)


class StaffLoginView(LoginView):
    """The staff sign-in. At the first sign-in, the language the page was shown in (the
    browser's, or the one chosen in the header) becomes the user's own."""

    template_name = "staff/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        """The page asked for, else the workspace; the admin for whom the workspace
        holds nothing (a content editor edits the public site there)."""
        url = super().get_success_url()
        user = self.request.user
        if url == resolve_url(settings.LOGIN_REDIRECT_URL) and not user.has_perm(
            "placements.view_placement"
        ):
            return resolve_url("admin:index")
        return url

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if not user.language:
            user.language = translation.get_language()
            user.save(update_fields=["language"])
        return response


@require_POST
def choose_language(request):
    """The header's language switch: the page's language, and a signed-in user's own
    (the workspace and their emails then speak it)."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return set_language(request)
