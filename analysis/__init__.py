"""digiramme: the financing frame for Københavns Kommune's digital development plan.

Three layers, one way (checked by import-linter in ``make test``):

- :mod:`analysis.inputs` reads the analyst's files, checks them against their contracts
  and returns one validated :class:`~analysis.inputs.dataset.Dataset`;
- :mod:`analysis.model` computes on validated tables (allocation, robustness, follow-up)
  and returns typed results, with no I/O and no Danish display text;
- :mod:`analysis.report` shows results in Danish (formats, vocabulary, one module per
  notebook page), and renders, prints and exports the reports;
- :mod:`analysis.workbench` holds the JupyterLab widgets, which solve as a control changes;
- :mod:`analysis.cli` sits on top and calls the same functions as the notebooks.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("digiramme")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
