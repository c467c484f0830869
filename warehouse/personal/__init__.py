"""Personal data (names, ID numbers) kept apart from the analytics warehouse.

* ``secret`` — the per-installation key of the person key (HMAC-SHA256), made at first refresh.
* ``mask`` — ID numbers shown as the first 6 and last 4 characters; ID-shaped text in messages.
* ``separate`` — turns the ingest's frames into keyed, name-free frames and the restricted rows.
* ``store`` — the restricted store file (names, ID numbers, raw reject records), mode 0600.
"""
