"""`govkg docs`: the ontology's pyLODE page lists every class, carries the ontology's own
title and opens offline."""
import html as html_lib
import logging
import re

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.cli import main
from kg.core.ontology import TURTLE_FILES, ontology_dir

pytest.importorskip("pylode")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("docs") / "ontology.html"
    result = CliRunner().invoke(main, ["docs", "-o", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {path}\n"
    assert result.stderr == ""  # pyLODE's debug logging kept quiet
    return path.read_text(encoding="utf-8")


def test_the_page_lists_every_class_of_the_ontology(page):
    ontology = Graph().parse(ontology_dir() / "govkg.ttl")
    classes = sorted(set(ontology.subjects(RDF.type, OWL.Class)))
    assert len(classes) > 30
    text = html_lib.unescape(page)
    for cls in classes:
        assert str(cls) in text, cls
        for label in ontology.objects(cls, RDFS.label):
            assert str(label) in text, (cls, label)


def test_the_title_is_the_ontology_s_not_a_concept_scheme_s(page):
    title = html_lib.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()
    ontology = Graph().parse(ontology_dir() / "govkg.ttl")
    assert title in {str(t) for t in ontology.objects(URIRef("https://w3id.org/govkg/ns"), DCTERMS.title)}
    schemes = Graph()
    for name in TURTLE_FILES[1:]:
        schemes.parse(ontology_dir() / name)
    scheme_titles = {str(t) for s in schemes.subjects(RDF.type, SKOS.ConceptScheme)
                     for p in (DCTERMS.title, SKOS.prefLabel, RDFS.label) for t in schemes.objects(s, p)}
    assert scheme_titles and not any(t in title for t in scheme_titles)


def test_the_page_fetches_nothing(page, offline_page):
    from kg.outputs.docs import external_assets

    assert external_assets(page) == []
    opened = offline_page(page)  # the fixture fails on any request beyond the page itself
    assert opened.locator("#Evidence").count() == 1


def test_the_root_logger_is_left_as_it_was():
    from kg.outputs.docs import ontology_page

    root = logging.getLogger()
    before = (root.level, list(root.handlers), root.manager.disable)
    ontology_page()
    assert (root.level, list(root.handlers), root.manager.disable) == before
