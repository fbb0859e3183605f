"""The stages of a build, in order; `govkg build --until STAGE` stops after one."""
from __future__ import annotations

import enum


class Stage(str, enum.Enum):
    READ = "read"
    SEGMENT = "segment"
    EXTRACT = "extract"
    RESOLVE = "resolve"
    TO_RDF = "to_rdf"
    VALIDATE = "validate"
    SERIALIZE = "serialize"  # into the store (when there is one) and the output files


STAGES = [stage.value for stage in Stage]
