"""Imports of HR and learning-office data: org units, positions, employees, requirements, programs and historic
training records, from CSV (UTF-8 with or without BOM, or Windows-1252; comma or semicolon) or XLSX.

The flow, for every kind:

1. **Upload** (``services.import_job_create``): the file is stored through Django's storage under a generated name
   and an ``ImportJob`` row records it (``pending``).
2. **Preview** (``services.import_job_preview``, a dry run; in a Celery task above ``CLO_IMPORTS_INLINE_ROWS`` rows,
   and for every XLSX workbook): the file is parsed (``parsing``, within its safety limits), every row validated
   and compared with the database by the kind's importer (``registry.Importer.plan``): rows to create, update,
   leave unchanged, employees to deactivate, and every row in error with its row number, column and message (stored
   as an English message id and its parameters, translated when shown), and the values read as a code though
   written otherwise ("Funcionària de carrera" → ``career``). ``validating`` → ``previewed``. Nothing is written.
3. **Import** (``services.import_job_confirm`` then ``import_job_run``): the plan is computed again and written in
   one transaction (``importing`` → ``done``): set-based writes (``bulk_create``/``bulk_update`` in batches, or
   ``INSERT … SELECT`` / ``UPDATE … FROM`` from the staged rows), then one refresh of what depends on the data,
   queued on commit. Any error rolls everything back (``failed``, with the reason). A re-import of the same file
   finds every row unchanged and writes nothing.

The file is read from storage as it is checked, never whole. Every importer streams (``streams``; the machinery is
in ``writes``): units, positions, employees, requirements, programs and historic training records. They read the
rows once, 5 000 at a time, check each row and stage it in a temporary table (COPY), compare with the database in
SQL, and write from the staged rows (``INSERT … SELECT``, ``UPDATE … FROM``), their audit entries and the
employees' undo before-images included: memory does not grow with the file. The checks across rows run in SQL over
the staged rows (the employees: repeated numbers, managers outside the file, unknown or inactive, and cycles of
managers; the others: repeated codes, unknown parents and employees); only the units importer walks the unit tree
(codes and parents' codes, a few thousand) in Python for cycles; the others keep nothing per row but the catalogues
they look codes up in.
4. **Undo** (``services.import_job_undo``, employees only, for ``CLO_IMPORTS_UNDO_DAYS``): the importer restores
   what the import wrote, from the before-images stored with the job (``ImportChange``), keeping what changed since.

An employees file updates the people in it; only an upload marked as the whole staff register
(``ImportJob.Mode.REGISTER``) deactivates the employees absent from it, and above
``CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT`` of the active staff only once the number is typed.

Importers are registered by the app that owns the data (``clo/people/imports.py``, ``competencies/imports.py``,
``programs/imports.py``) so that this lower layer never imports a higher one.
"""
