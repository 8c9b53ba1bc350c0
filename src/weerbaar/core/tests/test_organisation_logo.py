"""The cover logo on the settings page: PNG or JPEG only, checked by content, audited without the bytes."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from weerbaar.core.models import Organisation
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

URL = reverse("core:organisation_settings")
LOGO_URL = reverse("core:organisation_logo")

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="10" height="10"/></svg>'


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 60, 120)).save(buffer, format=kind)
    return buffer.getvalue()


def upload(content: bytes, name: str = "logo.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _data(world: World, organisation: Organisation | None = None, **overrides: object) -> dict[str, object]:
    organisation = organisation or Organisation.objects.get(pk=world.a.organisation.pk)
    data: dict[str, object] = {
        "name": organisation.name,
        "inhabitants": str(organisation.inhabitants or 25000),
        "size_class": organisation.size_class,
        "riec": str(world.riec.organisation.uuid),
        "two_factor_roles": list(organisation.two_factor_roles),
        "version": str(organisation.version),
    }
    data.update(overrides)
    return data


def _stored() -> Organisation:
    return Organisation.objects.get(name="Gemeente Aadorp")


def test_the_beheerder_uploads_a_png_and_the_trail_holds_only_its_hash(world: World) -> None:
    content = image_bytes("PNG")
    response = world.client_for("beheerder").post(URL, _data(world, logo=upload(content)))
    assert response.status_code == 302
    organisation = _stored()
    assert bytes(organisation.logo) == content
    assert organisation.logo_content_type == "image/png"
    [event] = events(organisation, "organisation.update")
    assert event.changes["logo"] == [None, "gewijzigd"]
    assert event.changes["logo_sha256"] == [None, hashlib.sha256(content).hexdigest()]
    assert "PNG" not in str(event.changes)


def test_a_jpeg_is_accepted_whatever_its_file_name(world: World) -> None:
    content = image_bytes("JPEG")
    response = world.client_for("beheerder").post(
        URL, _data(world, logo=upload(content, "logo.bestand", "application/octet-stream"))
    )
    assert response.status_code == 302
    assert _stored().logo_content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (SVG, "logo.svg", "Alleen een PNG- of JPEG-afbeelding"),
        (SVG, "logo.png", "Alleen een PNG- of JPEG-afbeelding"),
        (b"<html><script>alert(1)</script></html>", "logo.png", "Alleen een PNG- of JPEG-afbeelding"),
        (b"%PDF-1.7\n", "logo.png", "Alleen een PNG- of JPEG-afbeelding"),
        (b"\x89PNG\r\n\x1a\n" + b"geen afbeelding" * 10, "logo.png", "geen bruikbare PNG- of JPEG-afbeelding"),
        (image_bytes("PNG")[:60], "logo.png", "geen bruikbare PNG- of JPEG-afbeelding"),
        (b"\xff\xd8\xff" + image_bytes("PNG")[3:], "logo.jpg", "geen bruikbare PNG- of JPEG-afbeelding"),
        (image_bytes("GIF"), "logo.gif", "Alleen een PNG- of JPEG-afbeelding"),
        (image_bytes("PNG", (2001, 10)), "logo.png", "hoogstens 2000 × 2000"),
    ],
)
def test_anything_but_a_sound_png_or_jpeg_is_refused_and_the_rest_is_kept(
    world: World, content: bytes, name: str, message: str
) -> None:
    response = world.client_for("beheerder").post(
        URL, _data(world, name="Gemeente Aadorp-Oost", logo=upload(content, name))
    )
    assert response.status_code in (200, 422)
    page = body(response)
    assert message in page
    assert 'value="Gemeente Aadorp-Oost"' in page
    organisation = _stored()
    assert bytes(organisation.logo) == b"" and organisation.version == 1
    assert events(organisation, "organisation.update") == []


def test_a_logo_over_one_megabyte_is_refused(world: World) -> None:
    # Noise does not compress, so this PNG is well over 1 MB while within 2000 × 2000 pixels.
    import os

    buffer = io.BytesIO()
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(buffer, format="PNG")
    assert buffer.tell() > 1024 * 1024
    response = world.client_for("beheerder").post(URL, _data(world, logo=upload(buffer.getvalue())))
    assert "hoogstens 1 MB" in body(response)
    assert bytes(_stored().logo) == b""


def test_the_current_logo_is_shown_and_served_with_its_type_and_nosniff(world: World) -> None:
    content = image_bytes("PNG")
    client = world.client_for("beheerder")
    page = body(client.get(URL))
    assert "Er is nog geen logo." in page
    assert 'name="remove_logo"' not in page
    assert client.get(LOGO_URL).status_code == 204

    client.post(URL, _data(world, logo=upload(content)))
    page = body(client.get(URL))
    assert LOGO_URL in page
    assert "Huidig logo van Gemeente Aadorp" in page
    assert 'name="remove_logo"' in page
    assert 'enctype="multipart/form-data"' in page
    served = client.get(LOGO_URL)
    assert served.status_code == 200
    assert served.content == content
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]


def test_the_logo_is_removed_with_the_checkbox_and_that_is_audited(world: World) -> None:
    content = image_bytes("PNG")
    client = world.client_for("beheerder")
    client.post(URL, _data(world, logo=upload(content)))
    response = client.post(URL, _data(world, remove_logo="on"))
    assert response.status_code == 302
    organisation = _stored()
    assert bytes(organisation.logo) == b"" and organisation.logo_content_type == ""
    removed = events(organisation, "organisation.update")[-1]
    assert removed.changes["logo"] == ["aanwezig", "verwijderd"]
    assert removed.changes["logo_sha256"] == [hashlib.sha256(content).hexdigest(), None]
    assert client.get(LOGO_URL).status_code == 204


def test_a_new_logo_and_remove_together_is_refused(world: World) -> None:
    client = world.client_for("beheerder")
    client.post(URL, _data(world, logo=upload(image_bytes("PNG"))))
    response = client.post(URL, _data(world, logo=upload(image_bytes("JPEG")), remove_logo="on"))
    assert "niet allebei" in body(response)
    assert _stored().logo_content_type == "image/png"


def test_only_the_beheerder_sees_the_settings_and_the_logo(world: World) -> None:
    for role in ("coordinator", "secretaris", "lezer", "medewerker"):
        client = world.client_for(role)
        assert client.get(URL).status_code == 403, role
        assert client.get(LOGO_URL).status_code == 403, role
        assert client.post(URL, _data(world, logo=upload(image_bytes("PNG")))).status_code == 403, role
    assert bytes(_stored().logo) == b""


def test_the_logo_view_serves_only_the_own_organisations_logo(world: World) -> None:
    world.client_for("beheerder", world.b).post(
        URL, _data(world, Organisation.objects.get(pk=world.b.organisation.pk), logo=upload(image_bytes("PNG")))
    )
    assert bytes(Organisation.objects.get(pk=world.b.organisation.pk).logo)
    assert world.client_for("beheerder").get(LOGO_URL).status_code == 204


def test_naughty_input_on_the_settings_form_with_a_logo_field(world: World) -> None:
    submit_naughty(
        world.client_for("beheerder"),
        URL,
        base_data=_data(world),
        fields=["name", "logo", "remove_logo"],
    )


def test_a_cut_off_image_is_refused_also_after_weasyprint_relaxed_pillow() -> None:
    # Importing WeasyPrint (as rendering a report does) lets Pillow accept truncated images process-wide.
    import weasyprint  # noqa: F401
    from django.core.exceptions import ValidationError
    from PIL import ImageFile

    from weerbaar.core.services.organisations import check_logo

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    whole = image_bytes("PNG", (400, 300))
    with pytest.raises(ValidationError):
        check_logo(whole[: len(whole) // 2])
    assert check_logo(whole).content_type == "image/png"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back as WeasyPrint wants it
