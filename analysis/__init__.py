"""digiramme: the financing frame for Københavns Kommune's digital development plan.

The package is organised as small modules, one concept each (see README.md):
``io`` reads and validates input files, ``frame``, ``register`` and ``prices`` hold
the domain logic, ``fmt``, ``tables`` and ``figures`` present results in Danish, and
``render`` turns the notebooks into HTML reports.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("digiramme")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
