"""Reads of keeping attention alive: each page and report asks one of these modules.

- ``activities``: recurring activities, their done-log and reach (which units and vulnerable positions).
- ``communication``: the communication plan of one year, per month.
- ``checklist``: the organisation-wide measures of the catalogue as a guided checklist, placed by
  ``seed_structure`` (the seeds' groups and themes).
- ``due``: one list of what is due and overdue across the organisation (and the screening due list).
- ``indicator``: the attention indicator (activities on time, measures alive, days since the last scan).
"""
