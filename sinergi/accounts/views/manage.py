from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.forms import ApiTokenForm, RegistrationForm
from sinergi.accounts.selectors import api_token_list
from sinergi.accounts.services import account_register, api_token_create, api_token_revoke
from sinergi.actors.selectors import user_active_memberships


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = account_register(
            username=form.cleaned_data["username"],
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Akun Anda sudah dibuat. Selamat datang!"))
        return redirect("accounts:profile")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": user_active_memberships(request.user),
            "tokens": api_token_list(user=request.user),  # type: ignore[arg-type]
            "token_form": ApiTokenForm(),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nama token wajib diisi (maksimal 80 karakter)."))
        return redirect("accounts:profile")
    token, key = api_token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
    return render(request, "accounts/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(api_token_list(user=request.user), pk=token_id)  # type: ignore[arg-type]
    api_token_revoke(token=token)
    messages.success(request, _("Token dicabut."))
    return redirect("accounts:profile")
