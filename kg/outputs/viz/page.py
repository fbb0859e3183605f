"""The page itself: the template filled with the data, vis-network and the script inlined, a
Content-Security-Policy with the script's hash; written atomically."""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from pathlib import Path

from kg.core.errors import KGError
from kg.outputs.formats import View
from kg.outputs.viz.index import GraphIndex
from kg.outputs.viz.model import (
    SCRIPT,
    TEMPLATE,
    TEMPLATES,
    VIS_ASSET,
    ViewGraph,
    VizEdge,
    VizNode,
    VizOptions,
)
from kg.outputs.viz.page_data import build_page_data
from kg.outputs.viz.views import VIEWS, build_view, view_graph, view_kinds
from kg.store.rdfio import write_atomic

# ---------------------------------------------------------------- the page


def _script_json(data) -> str:
    """JSON safe inside a <script> element: no ``</script>``, ``<!--`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _inline_js(source: str) -> str:
    # "</script" may only sit in strings, regexes or comments, where "<\/" means the same.
    source = re.sub(r"</(script)", r"<\\/\1", source, flags=re.IGNORECASE)
    return re.sub(r"^//# sourceMappingURL=.*$", "", source, flags=re.MULTILINE)


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


@functools.lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone build, from the pyvis package (pip install pyvis)."""
    from importlib import resources

    try:
        asset = resources.files("pyvis").joinpath(*VIS_ASSET)
        return _inline_js(asset.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise KGError(f"vis-network not found ({exc})", fix="pip install 'pyvis>=0.3.2'") from None


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


_TITLES = {
    View.SHARED.value: "地区共同推行的举措 · Initiatives shared by regions",
    View.PLATFORMS.value: "地区、平台与举措 · Regions, platforms and initiatives",
    View.TASKS.value: "任务与责任部门 · Tasks and their units",
    View.FULL.value: "知识图谱全图 · The whole graph",
}


def render_graph(graph, *, options: VizOptions = VizOptions()) -> str:
    """One self-contained UTF-8 HTML page drawing ``graph`` as ``options`` say.

    >>> from kg import api# doctest: +SKIP
    >>> graph = api.build(["data"], out_dir=None).state.graph       # doctest: +SKIP
    >>> "一网通办" in render_graph(graph, options=VizOptions(focus=("一网通办",)))  # doctest: +SKIP
    True
    """
    from markupsafe import Markup

    index = GraphIndex(graph, kinds=view_kinds(options))
    view = build_view(index, options)
    data = build_page_data(index, view)
    title = options.title or f"govkg · {_TITLES[view.view]}"
    cap = (f"只显示连接最多的 {len(view.nodes)} 个节点（共 {view.total} 个）· showing the {len(view.nodes)} most "
           f"connected of {view.total} nodes (--max-nodes {view.max_nodes})") if view.capped else None
    edge_cap = (f"只显示 {len(view.edges)} 条连线（共 {view.edge_total} 条）：每个节点最强的一条，其余给连接最多的节点之间的连线 · "
                f"showing {len(view.edges)} of {view.edge_total} links (--max-edges {view.max_edges}; 0 shows all): every "
                f"node's strongest link, then those between the most connected nodes") if view.edges_capped else None
    scripts = (vis_network_js(), _inline_js(_environment().get_template(SCRIPT).render()))
    return _environment().get_template(TEMPLATE).render(
        title=title, view=view.view, cap_note=cap, edge_cap_note=edge_cap, node_count=len(view.nodes), edge_count=len(view.edges),
        types=data["types"], legend=data["legend"], left_out_note=view.left_out_note.format(n=view.left_out),
        regions=data["regions"], data_json=Markup(_script_json(data)),
        vis_js=Markup(scripts[0]), app_js=Markup(scripts[1]), script_hashes=" ".join(_csp_hash(s) for s in scripts))


def write_graph_html(graph, *, path: str | Path, options: VizOptions = VizOptions()) -> Path:
    """Render ``graph`` and write the page to ``path`` (UTF-8, atomically); returns the path."""
    return write_atomic(path, render_graph(graph, options=options))


__all__ = ["View", "VizOptions", "ViewGraph", "VizNode", "VizEdge", "VIEWS", "view_graph", "render_graph", "write_graph_html"]
