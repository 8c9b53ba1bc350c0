"""Import and export of the register (processes, positions, units) as .xlsx and .csv.

One *kind* per list (``KINDS``): its columns, how a row becomes values, how the current register
becomes rows. An import is planned first (a dry run in memory with a handful of queries, so the
preview of 1,000 rows is quick), shown to the user, and written on confirmation in one transaction
through the audited services, which check everything again. Exports write exactly the text an
import reads back, so export → import changes nothing.
"""
