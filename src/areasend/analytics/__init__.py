"""DuckDB analysis of public SEND statistics: the pre-inspection data pack.

No Django here. See pack.py for `build_pack()` / `build_all_packs()`, ingest.py for loading the
shipped raw files (and `copy_from_shared()` to refresh them), catalogue.py and enquiry.py for the
indicator catalogue and lines-of-enquiry rules, which are data files under data/.
"""

from .errors import AnalyticsError, CatalogueError, IngestError, PeriodError, UnknownAreaError
from .pack import build_all_packs, build_pack

__all__ = [
    "AnalyticsError",
    "CatalogueError",
    "IngestError",
    "PeriodError",
    "UnknownAreaError",
    "build_all_packs",
    "build_pack",
]
