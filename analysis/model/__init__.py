"""The model: pure computations on validated tables, returning typed results. No file I/O
and no Danish display text (codes only; :mod:`analysis.report.vocabulary` has the words).

- :mod:`.allocation`: which needs to fund and when (HiGHS), why the others are left out,
  and options compared;
- :mod:`.robustness`: core index under cost and weight uncertainty, efficient frontier;
- :mod:`.followup`: the OFS transfers, investments against their grants, benefit realisation.
"""
