"""A corpus of bad (and awkward but acceptable) raw exports with the outcome each must get.

Every case starts from a copy of one small valid raw folder (``tests.rawkit.write_raw``) and
changes one thing; ``cases.CASES`` says what the ingest must make of it (contract §9): a row
rejected with its file, sheet, row number, column and reason, a file error naming the file, a
warning, or the value that lands. No binary files are kept: every file is written by a
builder, byte layouts included.
"""
