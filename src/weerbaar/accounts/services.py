"""Every write about signing in: sessions, second factor, recovery codes, passwords. Each one audited.

Secrets (passwords, codes, TOTP keys, reset tokens) never reach the audit trail: rows name what
happened, to whom and from where, never the value.
"""

from __future__ import annotations

import enum
import functools
import math
import re
import time
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from weerbaar.accounts import selectors
from weerbaar.audit.models import Result
from weerbaar.audit.services import record
from weerbaar.core.http import client_ip
from weerbaar.core.models import User
from weerbaar.core.selectors import active_memberships_of_user

PENDING_LOGIN_SESSION_KEY = "weerbaar_pending_login"
LAST_ACTIVITY_SESSION_KEY = "weerbaar_last_activity"
ENROLMENT_SESSION_KEY = "weerbaar_totp_enrolment"
NEW_RECOVERY_CODES_SESSION_KEY = "weerbaar_new_recovery_codes"

#: Wrong codes allowed in one pending login before it is dropped and counted as a failed login.
MAX_CODE_FAILURES = 5
#: Seconds between the password step and the code step before the pending login expires.
PENDING_LOGIN_SECONDS = 5 * 60
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"

TOTP_CODE = re.compile(r"[0-9]{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")
ENROLMENT_SECRET = re.compile(r"[0-9a-f]{40}")


def _organisations_of(user: User) -> list[Any]:
    return [m.organisation for m in active_memberships_of_user(user)]


def _record_for_user(action: str, user: User, *, actor: User | None = None, **fields: Any) -> None:
    """One event in the chain of each organisation the user belongs to; the system chain when none."""
    for organisation in _organisations_of(user) or [None]:
        record(action=action, actor=actor, organisation=organisation, obj=user, object_label=user.email, **fields)


def printable(value: str, limit: int = 254) -> str:
    """Submitted text made safe to store as a label (no NUL or control characters)."""
    return "".join(ch for ch in str(value) if ch.isprintable())[:limit]


def normalise_code(value: str) -> str:
    """Codes may be typed with spaces or hyphens and in capitals ("ABCD-EFGH", "123 456")."""
    return re.sub(r"[\s-]", "", str(value)).lower()


# --- sessions -----------------------------------------------------------------------------------


def session_login(*, request: HttpRequest, user: User, device: Any = None) -> None:
    """Log in (with the device that verified the second step) and audit it per organisation."""
    request.session.pop(PENDING_LOGIN_SESSION_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    request.session[LAST_ACTIVITY_SESSION_KEY] = int(time.time())
    if isinstance(device, StaticDevice):
        reason = "tweestapsverificatie met een herstelcode"
    elif device is not None:
        reason = "tweestapsverificatie met de authenticator-app"
    else:
        reason = ""
    _record_for_user("auth.login", user, actor=user, reason=reason)


#: What the trail says when the "e-mail address" typed was no address (often a password typed in the wrong field).
NOT_AN_EMAIL = "[geen geldig e-mailadres]"


def login_label(value: str) -> str:
    """The submitted login name as it may be stored: only a valid e-mail address, never arbitrary text."""
    label = printable(value).strip()
    try:
        validate_email(label)
    except ValidationError:
        return NOT_AN_EMAIL
    return label.lower()


def login_failed(*, username: str, locked_out: bool) -> None:
    """A failed login for a known address goes into its organisations' chains, else into the system chain."""
    label = login_label(username)
    user = User.objects.filter(email__iexact=label).first() if label != NOT_AN_EMAIL else None
    fields: dict[str, Any] = {
        "actor_label": label,
        "result": Result.DENIED if locked_out else Result.FAILURE,
    }
    action = "auth.login_locked" if locked_out else "auth.login_failed"
    if user is not None:
        _record_for_user(action, user, **fields)
    else:
        record(action=action, organisation=None, object_type="core.user", object_label=label[:300], **fields)


def session_logout(*, request: HttpRequest, reason: str = "") -> None:
    user = request.user
    if user.is_authenticated:
        organisation = getattr(request, "organisation", None)
        if organisation is not None:
            record(
                action="auth.logout",
                actor=user,
                organisation=organisation,
                obj=user,
                object_label=user.email,
                reason=reason,
            )
        else:
            _record_for_user("auth.logout", user, actor=user, reason=reason)  # type: ignore[arg-type]
    logout(request)


def session_expire(*, request: HttpRequest) -> None:
    """The idle timeout ended the session (runs in middleware, before the origin is bound)."""
    user = request.user
    if user.is_authenticated:
        minutes = settings.SESSION_IDLE_TIMEOUT_MINUTES
        _record_for_user(
            "auth.session_expired",
            user,  # type: ignore[arg-type]
            actor=user,  # type: ignore[arg-type]
            origin=client_ip(request),
            reason=f"{minutes} minuten geen activiteit",
        )
    logout(request)


def session_touch(*, request: HttpRequest, now: int) -> None:
    request.session[LAST_ACTIVITY_SESSION_KEY] = now


# --- the two-step login -------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    """A user who passed the password step and still owes a code."""

    user: User
    next_url: str
    failures: int


def login_start_pending(*, request: HttpRequest, user: User, next_url: str) -> None:
    # A fresh session id: whoever knew the old one cannot ride along into the code step.
    request.session.cycle_key()
    request.session[PENDING_LOGIN_SESSION_KEY] = {
        "user": user.pk,
        "since": int(time.time()),
        "next": next_url,
        "failures": 0,
    }


def session_to_second_step(*, request: HttpRequest, next_url: str) -> None:
    """A session that never passed the code step (it began before the app was set up) goes back to it."""
    user = request.user
    session_logout(request=request, reason="sessie zonder tweestapsverificatie; code gevraagd")
    login_start_pending(request=request, user=user, next_url=next_url)  # type: ignore[arg-type]


def pending_login(*, request: HttpRequest) -> PendingLogin | None:
    """The pending login of this session, dropped when it is too old or its user is gone."""
    data = request.session.get(PENDING_LOGIN_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    since, pk = data.get("since"), data.get("user")
    user = None
    if isinstance(since, int) and isinstance(pk, int) and time.time() - since <= PENDING_LOGIN_SECONDS:
        user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        request.session.pop(PENDING_LOGIN_SESSION_KEY, None)
        return None
    return PendingLogin(user=user, next_url=str(data.get("next") or ""), failures=int(data.get("failures") or 0))


@dataclass(frozen=True)
class CodeCheck:
    device: Any = None
    wait_seconds: int = 0


def check_second_factor(*, user: User, code: str) -> CodeCheck:
    """Try a six-digit app code or an eight-character recovery code against the user's devices.

    A recovery code is used up when it matches. Each device throttles itself after a wrong code
    (1, 2, 4, … seconds), so guessing is slow even across new pending logins.
    """
    token = normalise_code(code)
    if TOTP_CODE.fullmatch(token):
        model: Any = TOTPDevice
    elif RECOVERY_CODE.fullmatch(token):
        model = StaticDevice
    else:
        return CodeCheck()
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            return CodeCheck()
        allowed, info = device.verify_is_allowed()
        if not allowed:
            locked_until = (info or {}).get("locked_until")
            wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
            return CodeCheck(wait_seconds=max(1, math.ceil(wait)))
        if device.verify_token(token):
            return CodeCheck(device=device)
    return CodeCheck()


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Er zijn kort na elkaar te veel onjuiste codes ingevoerd. Wacht %(seconds)d seconde en probeer het opnieuw.",
        "Er zijn kort na elkaar te veel onjuiste codes ingevoerd. Wacht %(seconds)d seconden en probeer het opnieuw.",
        seconds,
    ) % {"seconds": seconds}


class VerifyStatus(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"
    DROPPED = "dropped"


@dataclass(frozen=True)
class VerifyOutcome:
    status: VerifyStatus
    next_url: str = ""
    message: str = ""
    recovery_codes_left: int | None = None


def login_verify(*, request: HttpRequest, pending: PendingLogin, code: str) -> VerifyOutcome:
    """The second step: a right code logs in; wrong codes are audited, counted and limited."""
    user = pending.user
    check = check_second_factor(user=user, code=code)
    if check.device is not None:
        session_login(request=request, user=user, device=check.device)
        left = selectors.recovery_codes_left(user) if isinstance(check.device, StaticDevice) else None
        return VerifyOutcome(VerifyStatus.OK, next_url=pending.next_url, recovery_codes_left=left)
    if check.wait_seconds:
        return VerifyOutcome(VerifyStatus.THROTTLED, message=_wait_message(check.wait_seconds))
    failures = pending.failures + 1
    _record_for_user(
        "auth.2fa_failed",
        user,
        actor=user,
        result=Result.FAILURE,
        reason=f"onjuiste code bij inloggen, poging {failures} van {MAX_CODE_FAILURES}",
    )
    if failures >= MAX_CODE_FAILURES:
        request.session.pop(PENDING_LOGIN_SESSION_KEY, None)
        # Counts as one failed login for django-axes: a stolen password does not buy endless code guesses.
        user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)
        return VerifyOutcome(
            VerifyStatus.DROPPED,
            message=_("Er is te vaak een onjuiste code ingevoerd. Log opnieuw in met uw e-mailadres en wachtwoord."),
        )
    data = dict(request.session[PENDING_LOGIN_SESSION_KEY])
    data["failures"] = failures
    request.session[PENDING_LOGIN_SESSION_KEY] = data
    left = MAX_CODE_FAILURES - failures
    return VerifyOutcome(
        VerifyStatus.WRONG,
        message=ngettext(
            "Deze code klopt niet. U kunt het nog %(left)d keer proberen.",
            "Deze code klopt niet. U kunt het nog %(left)d keer proberen.",
            left,
        )
        % {"left": left},
    )


# --- enrolment, recovery codes, switching off ---------------------------------------------------


def totp_enrolment_secret(*, request: HttpRequest) -> str:
    """The secret being set up in this session; kept so the QR code stays the same on reload."""
    secret = request.session.get(ENROLMENT_SESSION_KEY)
    if not isinstance(secret, str) or not ENROLMENT_SECRET.fullmatch(secret):
        secret = random_hex(20)
        request.session[ENROLMENT_SESSION_KEY] = secret
    return secret


def totp_enrolment_device(*, user: User, secret: str) -> TOTPDevice:
    """An unsaved device for the QR code and the manual key; nothing is stored before confirmation."""
    return TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=secret, confirmed=False)


def _replace_recovery_codes(user: User) -> list[str]:
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in sorted(codes)])
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    return sorted(codes)


def two_factor_enable(*, request: HttpRequest, user: User, secret: str, code: str) -> list[str]:
    """Confirm the app with a code, store it, create fresh recovery codes and verify this session."""
    if selectors.has_two_factor(user):
        raise ValidationError(_("Tweestapsverificatie staat al aan."), code="already_enabled")
    if not ENROLMENT_SECRET.fullmatch(secret):
        raise ValidationError(_("De instelling is verlopen. Begin opnieuw."), code="no_secret")
    totp = TOTP(unhexlify(secret), step=30, t0=0, digits=6)
    totp.time = time.time()
    token = normalise_code(code)
    if not TOTP_CODE.fullmatch(token) or not totp.verify(int(token), tolerance=1):
        raise ValidationError(
            _(
                "Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat en vul de code in "
                "die de app nu toont."
            ),
            code="invalid_code",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        # last_t: the code just used for confirmation cannot be replayed at the next login.
        device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=secret, confirmed=True, last_t=totp.t())
        device.full_clean()
        device.save()
        codes = _replace_recovery_codes(user)
        _record_for_user("auth.2fa_enabled", user, actor=user)
    request.session.pop(ENROLMENT_SESSION_KEY, None)
    otp_login(request, device)
    return codes


def _require_code(*, user: User, code: str, purpose: str) -> Any:
    check = check_second_factor(user=user, code=code)
    if check.wait_seconds:
        raise ValidationError(_wait_message(check.wait_seconds), code="throttled")
    if check.device is None:
        _record_for_user("auth.2fa_failed", user, actor=user, result=Result.FAILURE, reason=purpose)
        raise ValidationError(
            _("Deze code klopt niet. Vul de code uit uw app of een ongebruikte herstelcode in."),
            code="invalid_code",
        )
    return check.device


def recovery_codes_regenerate(*, user: User, code: str) -> list[str]:
    """New recovery codes; the old ones stop working. Needs a current code."""
    if not selectors.has_two_factor(user):
        raise ValidationError(_("Zet eerst tweestapsverificatie aan."), code="not_enabled")
    _require_code(user=user, code=code, purpose="onjuiste code bij nieuwe herstelcodes")
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        _record_for_user("auth.recovery_codes_regenerated", user, actor=user)
    return codes


def two_factor_disable(*, request: HttpRequest, user: User, code: str) -> None:
    """Switch the second step off; refused while an organisation's policy requires it for a role."""
    required = selectors.organisations_requiring_two_factor(user)
    if required:
        raise ValidationError(
            _(
                "U kunt tweestapsverificatie niet uitschakelen: %(names)s verplicht dit voor uw rol. "
                "Raakt u uw telefoon kwijt, stel de app dan opnieuw in met een herstelcode of vraag de "
                "functioneel beheerder om hulp."
            )
            % {"names": ", ".join(organisation.name for organisation in required)},
            code="mandatory",
        )
    if not selectors.has_two_factor(user):
        raise ValidationError(_("Tweestapsverificatie staat al uit."), code="not_enabled")
    _require_code(user=user, code=code, purpose="onjuiste code bij uitschakelen")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _record_for_user("auth.2fa_disabled", user, actor=user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


# --- passwords ----------------------------------------------------------------------------------

#: Dutch wording for Django's password validators (Django's own Dutch catalogue lags behind for some).
_PASSWORD_MESSAGES: dict[str, Any] = {
    "password_too_short": lambda params: (
        ngettext(
            "Dit wachtwoord is te kort: gebruik minstens %(min_length)d teken.",
            "Dit wachtwoord is te kort: gebruik minstens %(min_length)d tekens.",
            params.get("min_length", 0),
        )
        % {"min_length": params.get("min_length", 0)}
    ),
    "password_too_similar": lambda params: (
        _("Dit wachtwoord lijkt te veel op uw %(field)s.") % {"field": params.get("verbose_name", _("gegevens"))}
    ),
    "password_too_common": lambda params: _(
        "Dit wachtwoord wordt te vaak gebruikt en is daardoor makkelijk te raden. Kies een ander wachtwoord."
    ),
    "password_entirely_numeric": lambda params: _("Dit wachtwoord bestaat alleen uit cijfers. Gebruik ook letters."),
}


def validate_new_password(password: str, user: User) -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), with Dutch messages."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        messages = []
        for item in error.error_list:
            wording = _PASSWORD_MESSAGES.get(item.code or "")
            messages.append(
                ValidationError(wording(item.params or {}), code=item.code)
                if wording
                else ValidationError(item.messages)
            )
        raise ValidationError(messages) from error


def password_change(*, request: HttpRequest, user: User, new_password: str) -> None:
    """Set a new password and keep this session (other sessions of the user end)."""
    validate_new_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _record_for_user("auth.password_changed", user, actor=user)
    update_session_auth_hash(request, user)


def _send_reset_mail(*, request: HttpRequest, user: User) -> None:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "reset_token": token})
    context = {
        "user": user,
        "url": request.build_absolute_uri(path),
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    subject = "".join(render_to_string("accounts/email/password_reset_subject.txt", context).splitlines())
    body = render_to_string("accounts/email/password_reset.txt", context)
    # robust: a mail server that is down must not turn into an error page (which would also tell
    # the visitor that the address exists).
    transaction.on_commit(functools.partial(send_mail, subject, body, None, [user.email]), robust=True)


@transaction.atomic
def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Mail a one-time link to an active user with this address; nothing happens for an unknown one."""
    address = printable(email).strip()
    if not address:
        return
    users = [user for user in User.objects.filter(email__iexact=address, is_active=True) if user.has_usable_password()]
    for user in users:
        _send_reset_mail(request=request, user=user)
        # System chain: the request is anonymous and must not depend on an organisation.
        record(
            action="auth.password_reset_requested",
            organisation=None,
            obj=user,
            object_label=user.email,
            actor_label="anoniem (wachtwoord vergeten)",
        )


def password_reset_complete(*, user: User, new_password: str) -> None:
    """Set the password chosen through a reset link; the link stops working once the password changes."""
    validate_new_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _record_for_user("auth.password_reset_done", user, actor=user)


# --- values kept in the session between two requests ------------------------------------------

PASSWORD_RESET_SESSION_KEY = "weerbaar_password_reset_token"  # noqa: S105 - a session key name


def recovery_codes_stash(*, request: HttpRequest, codes: list[str]) -> None:
    """New codes wait in the session for exactly one page view (redirect after POST)."""
    request.session[NEW_RECOVERY_CODES_SESSION_KEY] = list(codes)


def recovery_codes_take(*, request: HttpRequest) -> list[str]:
    codes = request.session.pop(NEW_RECOVERY_CODES_SESSION_KEY, None)
    return [str(code) for code in codes] if isinstance(codes, list) else []


def password_reset_token_remember(*, request: HttpRequest, token: str) -> None:
    """The link's token moves into the session so it does not linger in the address bar or history."""
    request.session[PASSWORD_RESET_SESSION_KEY] = token


def password_reset_token_of(*, request: HttpRequest) -> str:
    token = request.session.get(PASSWORD_RESET_SESSION_KEY)
    return token if isinstance(token, str) else ""


def password_reset_token_forget(*, request: HttpRequest) -> None:
    request.session.pop(PASSWORD_RESET_SESSION_KEY, None)
