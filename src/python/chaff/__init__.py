"""chaff: clean, deduplicated, auditable text from raw crawled news dumps.

The work is done by the ``chaff`` binary shipped in this package; :mod:`chaff.spark` runs it on
Apache Spark. :func:`binary` finds the binary.
"""

from chaff._binary import binary

__all__ = ["binary"]
