from django.urls import path

from weerbaar.core.views import access_review, invitations, organisation, pages, units, users

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("organisatie/wisselen", pages.switch_organisation, name="switch_organisation"),
    path("toegankelijkheid", pages.accessibility_statement, name="accessibility"),
    path(".well-known/security.txt", pages.security_txt, name="security_txt"),
    # Beheer: organisation, units, users, invitations and the access review.
    path("beheer/instellingen", organisation.organisation_settings, name="organisation_settings"),
    path("beheer/instellingen/logo", organisation.organisation_logo, name="organisation_logo"),
    path("afdelingen", units.unit_list, name="unit_list"),
    path("afdelingen/nieuw", units.unit_create, name="unit_create"),
    path("afdelingen/<uuid:unit_uuid>/wijzigen", units.unit_update, name="unit_update"),
    path("afdelingen/<uuid:unit_uuid>/archiveren", units.unit_archive, name="unit_archive"),
    path("afdelingen/<uuid:unit_uuid>/heractiveren", units.unit_reactivate, name="unit_reactivate"),
    path("gebruikers", users.user_list, name="user_list"),
    path("gebruikers/uitnodigen", invitations.invitation_create, name="invitation_create"),
    path("gebruikers/<uuid:membership_uuid>", users.user_detail, name="user_detail"),
    path("gebruikers/<uuid:membership_uuid>/wijzigen", users.user_update, name="user_update"),
    path("gebruikers/<uuid:membership_uuid>/deactiveren", users.user_deactivate, name="user_deactivate"),
    path("gebruikers/<uuid:membership_uuid>/heractiveren", users.user_reactivate, name="user_reactivate"),
    path(
        "gebruikers/uitnodigingen/<uuid:invitation_uuid>/intrekken",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "gebruikers/uitnodigingen/<uuid:invitation_uuid>/opnieuw-versturen",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path("uitnodiging/<str:token>", invitations.invitation_accept, name="invitation_accept"),
    path("beheer/toegangscontrole", access_review.access_review, name="access_review"),
    path(
        "beheer/toegangscontrole/<uuid:membership_uuid>/bevestigen",
        access_review.access_review_confirm,
        name="access_review_confirm",
    ),
    path(
        "beheer/toegangscontrole/<uuid:membership_uuid>/intrekken",
        access_review.access_review_revoke,
        name="access_review_revoke",
    ),
]
