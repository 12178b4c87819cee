from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=160)
    username = forms.RegexField(
        label=_("Nama pengguna"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Hanya huruf, angka, dan . @ + - _ yang diperbolehkan.")},
    )
    email = forms.EmailField(label=_("Email (untuk memulihkan kata sandi)"), required=False)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput, strip=False)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("Kedua kata sandi tidak sama."))
        elif data.get("password"):
            try:
                password_validation.validate_password(data["password"], User(username=data.get("username", "")))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=80, help_text=_("mis. Skrip sinkronisasi SIPD"))
