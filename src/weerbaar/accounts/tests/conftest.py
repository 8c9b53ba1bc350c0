from __future__ import annotations

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def _no_code_throttling(settings: LazySettings) -> None:
    # django-otp slows down guessing (1, 2, 4 … seconds after a wrong code); tests that are not about
    # throttling switch it off so they can send a right code straight after a wrong one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
