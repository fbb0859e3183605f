"""Write ontology/context.jsonld, the JSON-LD context generated from the ontology (run it after
changing ontology/*.ttl; tests/test_jsonld.py fails while the file is stale)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.store.jsonld import write_context  # noqa: E402

if __name__ == "__main__":
    print(f"wrote {write_context()}")
