"""Importing this module registers the built-in extractors, in the order they run."""
from . import mentions  # noqa: F401  regions, initiatives
from . import platforms  # noqa: F401
from . import departments  # noqa: F401
from . import tasks  # noqa: F401
from . import goals  # noqa: F401  quantitative targets
from . import exchanges  # noqa: F401  data exchanges
from . import citations  # noqa: F401  cited documents
from . import completeness  # noqa: F401  last: what could not be determined
