"""Suggested normalised attribute values (ISO 8601 dates, ISO 3166 country codes).

* :mod:`spanlab.core.normalize.dates` resolves date expressions against a publication date;
* :mod:`spanlab.core.normalize.countries` maps country names, demonyms and abbreviations
  to ISO 3166-1 alpha-2 codes;
* :mod:`spanlab.core.normalize.suggest` picks the attributes of a span the schema declares
  as ``date`` or ``country`` and suggests values for those the annotator has not set.

Suggestions are only ever proposals: nothing here writes to a project, and a value the
annotator set is never replaced. The package is Qt-free and works offline (dateparser is
always told the language, so it never tries to detect or download anything).
"""
