"""The report: everything a reader sees, in Danish.

- :mod:`.formats` (Danish numbers), :mod:`.vocabulary` (KK's words for the model's codes),
  :mod:`.blocks` (tables, texts and figures that render themselves), :mod:`.figures`;
- one module per notebook page: :mod:`.register_page`, :mod:`.allocation_page`,
  :mod:`.followup_page`, :mod:`.robustness_page`; :mod:`.index_summary` for the index;
- :mod:`.records` (the ``--json`` objects), :mod:`.provenance`, :mod:`.render`
  (papermill + nbconvert), :mod:`.pdf`, :mod:`.excel`.

Report code never solves: it shows the results the model returned.
"""
