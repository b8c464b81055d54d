"""Ofsted's Annex A child-level lists (List 1: EHC plans; List 2: SEN support).

The core is pure Python with no Django and no database, so an area can check its lists on its own
machine (``areasend annexa validate``):

- ``schema``: the lists' columns, the rule set and the vocabularies, all read from ``data/``;
- ``reading.read_list`` / ``read_lists``: a CSV file or a workbook sheet read into columns;
- ``validation.validate`` (DuckDB, columnar) and ``rowwise.validate_rows`` (plain Python): the same
  rules, the same findings;
- ``reports``: the findings as JSON, text, CSV or XLSX;
- ``profile.profile``, ``sampling.suggest_sample`` / ``thematic_sample``, ``synthetic``.
"""
