"""A plain, non-editable install carries the ontology files and works from any directory."""
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_contains_the_ontology_and_runs_from_elsewhere(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("govkg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for data in ("govkg.ttl", "initiatives.ttl", "platform-kinds.ttl", "shapes.ttl", "style.ttl", "divisions.csv"):
        assert f"kg/ontology_data/{data}" in names, data
    for template in ("report.html.j2", "report.md.j2", "graph.html.j2", "graph.js.j2", "graph.css.j2"):
        assert f"kg/outputs/templates/{template}" in names, template
    for extra in ("kg/query/queries/regions-adopting.rq", "kg/ingest/extract/platform_scorer.json", "kg/py.typed"):
        assert extra in names, extra
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "plan.txt").write_text("某某\n\n成都市数字政府建设实施方案\n\n一、重点任务\n\n1.推进一网通办。建设市一体化政务服务平台。\n",
                                        encoding="utf-8")
    code = ("import kg, kg.api, sys; from kg.core.ontology import ontology_dir;"
            "assert 'site' in kg.__file__, kg.__file__; print(ontology_dir());"
            "r = kg.api.build(['plan.txt'], out_dir='out'); print(r.conforms, r.counts)")
    result = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
                            capture_output=True, text=True, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "ontology_data" in result.stdout and "True" in result.stdout
    assert (elsewhere / "out" / "govkg.ttl").is_file()
