"""/register: the organisation's processes, positions (functies) and external context profile."""

from django.urls import path

from weerbaar.register.views import adopt, context, positions, processes, transfer

app_name = "register"

urlpatterns = [
    path("processen", processes.process_list, name="process_list"),
    path("processen/nieuw", processes.process_create, name="process_create"),
    path("processen/overnemen", adopt.adopt, name="adopt"),
    path("processen/importeren", transfer.import_upload, {"kind": "processen"}, name="process_import"),
    path(
        "processen/importeren/bevestigen",
        transfer.import_confirm,
        {"kind": "processen"},
        name="process_import_confirm",
    ),
    path("processen/sjabloon", transfer.import_template, {"kind": "processen"}, name="process_template"),
    path("processen/exporteren", transfer.export, {"kind": "processen"}, name="process_export"),
    path("processen/<uuid:process_uuid>", processes.process_detail, name="process_detail"),
    path("processen/<uuid:process_uuid>/wijzigen", processes.process_update, name="process_update"),
    path("processen/<uuid:process_uuid>/archiveren", processes.process_archive, name="process_archive"),
    path("processen/<uuid:process_uuid>/heractiveren", processes.process_reactivate, name="process_reactivate"),
    path("functies", positions.position_list, name="position_list"),
    path("functies/nieuw", positions.position_create, name="position_create"),
    path("functies/screening", positions.screening_due, name="screening_due"),
    path("functies/importeren", transfer.import_upload, {"kind": "functies"}, name="position_import"),
    path(
        "functies/importeren/bevestigen", transfer.import_confirm, {"kind": "functies"}, name="position_import_confirm"
    ),
    path("functies/sjabloon", transfer.import_template, {"kind": "functies"}, name="position_template"),
    path("functies/exporteren", transfer.export, {"kind": "functies"}, name="position_export"),
    path("afdelingen/importeren", transfer.unit_import_upload, name="unit_import"),
    path("afdelingen/importeren/bevestigen", transfer.unit_import_confirm, name="unit_import_confirm"),
    path("afdelingen/sjabloon", transfer.unit_import_template, name="unit_template"),
    path("afdelingen/exporteren", transfer.unit_export, name="unit_export"),
    path("functies/<uuid:position_uuid>/wijzigen", positions.position_update, name="position_update"),
    path("functies/<uuid:position_uuid>/archiveren", positions.position_archive, name="position_archive"),
    path("functies/<uuid:position_uuid>/heractiveren", positions.position_reactivate, name="position_reactivate"),
    path("context", context.context_profile, name="context"),
    path("context/opslaan", context.context_save, name="context_save"),
]
