"""Departments: from responsibility notes in every form plans use, and from organisation names.

Responsibility notes::

    〔牵头单位：市政务服务局、市大数据中心〕   （责任单位：省大数据局）
    （省政府办公厅牵头）   （X牵头，Y配合）   （X、Y按职责分工负责）   （…，牵头考核单位：Z）

Organisation names in running text are taken only when they carry a government scope (省/市/县…,
a region's name, 国务院, 国家…) and end with an organisation word (局, 委, 厅, 办公室, 中心,
管委会, 领导小组, 人民政府 …). Each department belongs to a region: 市政务服务局 in a city's plan
belongs to that city, 省… in a city's plan to its province, 哈尔滨市大数据中心 to 哈尔滨市.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.core import iris
from kg.core.model import Extraction, Ref
from kg.core.ontology import divisions
from kg.core.regions import COUNTRY_CODE, find_regions
from kg.ingest.extract.registry import register_extractor
from kg.ingest.extract.context import Collector, DocContext, add_evidence, has_room
from kg.ingest.extract.mentions import region_entity
from kg.ingest.extract.left_boundaries import LEFT_BOUNDARY, VERB_PATTERN
from kg.core.model import Evidence

_ORG_END = (r"(?:人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府办公室|政府|办公厅|办公室|管理委员会|委员会|管委会|领导小组办公室|"
            r"领导小组|工作专班|专家委员会|局|委|厅|署|部|办|中心|院|馆|所|队|行|会|联)")
_SCOPE = r"(?:国务院|国家|中共中央|中央|全国|省委|省|市委|市|州|县|区|旗|自治区|各区县（市）|各区、县（市）|区县（市）|县（市）|各县（市）|各市|各区|各县)"
_LABEL = (r"(?:牵头考核单位|牵头单位|牵头部门|牵头处室|责任单位|责任部门|责任处室|主责单位|主责部门|主办单位|实施单位|实施主体|"
          r"配合单位|配合部门|参与单位|参与部门|协办单位|协同单位|协助单位|责任主体)")
_SUPPORT_LABEL = re.compile(r"配合|参与|协办|协同|协助")
# A labelled note with no brackets, to the end of its sentence: 牵头部门：X；责任部门：Y。
_BARE_NOTE = re.compile(rf"(?<![〔（\[【])(?P<body>{_LABEL}[:：](?:[^。\n〔〕（）【】\[\]]|（[^（）]{{1,8}}）)+)")
# 〔牵头单位：…〕 / （责任单位：…） / （…，牵头考核单位：…）
_INNER = r"(?:[^〔〕（）【】\[\]]|（[^（）]{1,8}）)"
_LABELLED_NOTE = re.compile(rf"[〔（\[【](?P<body>{_INNER}*?{_LABEL}[:：]{_INNER}*?)[〕）\]】]")
# （X牵头，Y配合） / （X牵头） / （X按职责分工负责） / （X负责）
_VERB_NOTE = re.compile(r"（(?P<body>(?:[^（）。]|（[^（）]{1,8}）){2,160}?(?:牵头|按职责分工负责|分工负责|负责|配合|参与|具体实施)(?:[^（）。]|（[^（）]{1,8}）){0,80}?)）")
_SEPARATORS = re.compile(r"[、，,；;]|(?<=[局委厅办心府院馆会联组])和|(?<=[局委厅办心府院馆会联组])及")
_ROLE_WORDS = re.compile(r"(按职责分工负责|按分工负责|分工负责|具体实施|牵头|配合|参与|负责|等)$")
# In running text only unambiguous organisation words end a name (中心, 部, 会 … name platforms and
# places as often as bodies; those are taken from responsibility notes instead).
_RUNNING_END = (r"(?:人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府办公室|办公厅|办公室|管理委员会|专家委员会|委员会|管委会|"
                r"领导小组办公室|领导小组|推进小组办公室|推进小组|工作小组|工作专班|局|委|厅)")
_RUNNING = re.compile(rf"国务院办公厅|国务院|(?:国家|省|市|县|州|盟|县（市）|区（市）)[\u4e00-\u9fff]{{0,14}}?{_RUNNING_END}(?![\u4e00-\u9fff]{{0,1}}(?:长|员|主任|书记|人|会议|成员|机制|副))")
_NOT_ORGS = re.compile(r"(关于|的|对接|实行|布局|运行|纷纷|加大|首个|第一|影响|一体化|互联|合作|标准|各地|市场|区块|县域|区域|市民|省内|"
                       r"市内|省外|国家级|全国性|政策|行动|企业|两级|三级|四级|统一|协同|共建|工作部署|要求|(?:全局|格局|布局|大局|当局)$)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LEADING_PREPOSITION = re.compile(r"^(?:由|请|会同|联合)")
_BODY_BUILDING = re.compile(r"(?:建设|推进)(?=(?:工作)?(?:领导小组|专家委员会|工作专班|推进小组|小组))")


@dataclass(frozen=True)
class Unit:
    name: str
    start: int  # clean offsets within the text given to the parser
    end: int
    role: str  # "lead" | "support"


@dataclass(frozen=True)
class Note:
    start: int
    end: int
    units: tuple[Unit, ...]


def _parts(body: str) -> list[str]:
    """Split a list of units; a bare scope (各区) joins the next part (各区、县（市）政府)."""
    parts = _SEPARATORS.split(body)
    merged: list[str] = []
    for part in parts:
        if merged and re.fullmatch(r"各?[区县市乡镇州]", merged[-1].strip()):
            merged[-1] = merged[-1] + "、" + part
        else:
            merged.append(part)
    return merged


def _units(body: str, offset: int, role: str) -> list[Unit]:
    units = []
    position = 0
    for part in _parts(body) + [""]:
        if not part:
            position += 1
            continue
        index = body.find(part, position)
        position = index + len(part)
        name = part.strip()
        while _ROLE_WORDS.search(name):
            name = _ROLE_WORDS.sub("", name).strip()
        name = _LEADING_PREPOSITION.sub("", name)
        if 2 <= len(name) <= 30 and _HAN.search(name) and name not in ("单位", "部门", "机构", "企业"):
            start = offset + body.find(name, index)
            units.append(Unit(name, start, start + len(name), role))
    return units


def parse_note(body: str, offset: int = 0) -> list[Unit]:
    """Units named in the inside of one responsibility note, with their roles.

    >>> [(u.name, u.role) for u in parse_note("省政府办公厅牵头，省大数据局配合")]
    [('省政府办公厅', 'lead'), ('省大数据局', 'support')]
    >>> [(u.name, u.role) for u in parse_note("牵头单位：市政务服务局、市大数据中心")]
    [('市政务服务局', 'lead'), ('市大数据中心', 'lead')]
    """
    units: list[Unit] = []
    fields = list(re.finditer(rf"(?P<label>{_LABEL})[:：](?P<names>[^:：]*?)(?=[，,；;]?\s*[\u4e00-\u9fff]{{2,8}}[:：]|$)", body))
    has_lead_label = any(f["label"].startswith("牵头") for f in fields)
    for match in fields:
        # 配合/参与… support; 责任/主责… lead, unless a 牵头 field names the lead (then they support).
        support = bool(_SUPPORT_LABEL.search(match["label"])) or (has_lead_label and not match["label"].startswith("牵头"))
        names = match["names"].split("。")[0]  # a remark after the field (。以下任务均需…) is no unit
        units += _units(names, offset + match.start("names"), "support" if support else "lead")
    if units:
        return _marked_leads(units)
    # Free forms: clauses ending in 牵头 lead, clauses ending in 配合/参与 support.
    # With a 牵头 clause present, the units of the other clauses (按职责分工负责, 配合) support.
    position = 0
    clauses = re.split(r"(?<=牵头)[，,；;]|(?<=负责)[，,；;]|(?<=配合)[，,；;]", body)
    has_lead = any(re.search(r"牵头$", c.strip()) for c in clauses)
    for clause in clauses:
        start = body.find(clause, position)
        position = start + len(clause)
        leads = re.search(r"牵头$", clause.strip()) or not (has_lead or re.search(r"(配合|参与)$", clause.strip()))
        units += _units(clause, offset + start, "lead" if leads else "support")
    return units


def _marked_leads(units: list[Unit]) -> list[Unit]:
    """X（牵头）, Y: the marked unit leads and the others support."""
    marked = [u for u in units if re.search(r"（牵头）$", u.name)]
    if not marked:
        return units
    result = []
    for unit in units:
        if unit in marked:
            name = unit.name[: -len("（牵头）")]
            result.append(Unit(name, unit.start, unit.start + len(name), "lead"))
        else:
            result.append(Unit(unit.name, unit.start, unit.end, "support"))
    return result


# The note patterns in the order they claim text, each with what it cannot match without: characters
# (tested first, they are cheap to look for) and a pattern.
_LABEL_FIELD = re.compile(rf"{_LABEL}[:：]")
_NOTE_PATTERNS = ((_LABELLED_NOTE, "：:", _LABEL_FIELD), (_VERB_NOTE, "（", re.compile("牵头|负责|配合|参与|具体实施")),
                  (_BARE_NOTE, "：:", _LABEL_FIELD))


def responsibility_notes(text: str) -> list[Note]:
    """Responsibility notes in a stretch of clean text."""
    notes, taken = [], []
    for pattern, characters, needed in _NOTE_PATTERNS:
        if not any(ch in text for ch in characters) or not needed.search(text):
            continue  # most sentences hold no note; the scans are not free
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            units = parse_note(match["body"], match.start("body"))
            units = [u for u in units if _looks_like_unit(u.name)]
            if units:
                notes.append(Note(match.start(), match.end(), tuple(units)))
                taken.append((match.start(), match.end()))
    return sorted(notes, key=lambda n: n.start)


@functools.lru_cache(maxsize=8192)  # per sentence or task's text, read again by other documents
def notes_in(text: str) -> tuple[Note, ...]:
    return tuple(responsibility_notes(text))


_UNIT_END = re.compile(_ORG_END + r"$")
_GENERIC_UNIT_END = re.compile(r"(政府|部门|单位|企业|协会|机构|组织)（?[^（）]*）?$")
_SCOPE_START = re.compile(_SCOPE)
_RUNNING_NAME_END = re.compile(_RUNNING_END + "$")


def _looks_like_unit(name: str) -> bool:
    return bool(_UNIT_END.search(name) or _GENERIC_UNIT_END.search(name) or _SCOPE_START.match(name))


def running_text_departments(text: str, known: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Organisation names in running text: ``(start, end, name)``. A name must start a word
    (after punctuation, a verb or a preposition) and carry a government scope; names already
    seen in responsibility notes (``known``) are found wherever they occur."""
    found = list(_running_names(text))
    pattern = _known_pattern(known)
    if pattern is not None:
        for match in pattern.finditer(text):
            if not any(s <= match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), match.group()))
    return sorted(found)


_ORGANISATION_CHAR = re.compile("[局委厅室组班府]")  # one in each word of _RUNNING_END
_RUNNING_TAIL = re.compile(rf"[\u4e00-\u9fff]{{0,14}}?{_RUNNING_END}(?![\u4e00-\u9fff]{{0,1}}(?:长|员|主任|书记|人|会议|成员|机制|副))")


@functools.lru_cache(maxsize=8192)  # per sentence, read again by other documents
def _running_names(text: str) -> tuple[tuple[int, int, str], ...]:
    """Scoped organisation names in ``text`` (a scope word or a division name, then an organisation word)."""
    found = []
    if "国务院" not in text and not _ORGANISATION_CHAR.search(text):
        return ()  # every organisation word holds one of these characters
    for match in _RUNNING.finditer(text):
        name = match.group()
        before = text[max(0, match.start() - 4):match.start()]
        starts_word = not before or not _HAN.match(before[-1]) or any(
            before.endswith(m.group()) for m in LEFT_BOUNDARY.finditer(before))
        if not starts_word or _NOT_ORGS.search(name) or len(name) < 3 or VERB_PATTERN.search(_BODY_BUILDING.sub("", name), 1):
            continue
        if _inside_title(text, match.start()):
            continue
        found.append((match.start(), match.end(), name))
    for region in find_regions(text):
        tail = _RUNNING_TAIL.match(text[region.end:])
        if tail and not any(s <= region.start < e for s, e, _ in found) and not _inside_title(text, region.start):
            name = text[region.start:region.end + tail.end()]
            if not _NOT_ORGS.search(name[len(region.surface):]) and not VERB_PATTERN.search(_BODY_BUILDING.sub("", name), 1):
                found.append((region.start, region.end + tail.end(), name))
    return tuple(found)


@functools.lru_cache(maxsize=64)
def _known_pattern(known: frozenset[str]) -> re.Pattern | None:
    return re.compile("|".join(map(re.escape, sorted(known, key=len, reverse=True)))) if known else None


def _inside_title(text: str, position: int) -> bool:
    """Whether a position is inside 《…》 (a cited title names its issuer, not an actor)."""
    return text.rfind("《", 0, position) > text.rfind("》", 0, position)


def department_region(name: str, context: DocContext) -> str | None:
    """The region a department belongs to, from its name and the document's region (None when
    neither tells)."""
    named = [m for m in find_regions(name, context=context.region_code) if m.start == 0]
    if named:
        return named[0].code
    if name.startswith(("国务院", "国家", "中共中央", "中央", "全国", "工信部", "工业和信息化部")):
        return COUNTRY_CODE
    region = context.region_code
    if region and region != COUNTRY_CODE:
        level = divisions()[region].level
        if name.startswith("省") and level != "province":
            return divisions()[region].parent or region
    return region


def department_entity(collect: Collector, context: DocContext, name: str):
    name = re.sub(r"\s+", "", name)
    region = department_region(name, context)
    scope = region or f"doc-{iris.slug(context.iri)}"
    entity = collect.entity(iris.department(scope, name), "Department", label=name)
    if region and not entity.props.get("gk:inRegion"):
        entity.add("gk:inRegion", Ref(iris.region(region)))
        region_entity(collect, region)
    entity.add("gk:statedIn", Ref(context.iri))
    return entity


@register_extractor("departments")
def extract_departments(context: DocContext, extraction: Extraction) -> None:
    collect = Collector(extraction)
    sentences, texts = context.body_sentences(), context.sentence_texts()
    notes = [notes_in(clean) for clean in texts]
    known = frozenset(u.name for found in notes for n in found for u in n.units
                      if _RUNNING_NAME_END.search(u.name) or u.name.endswith("中心"))
    for sentence, clean, sentence_notes in zip(sentences, texts, notes):
        spans = []
        for note in sentence_notes:
            spans.append((note.start, note.end))
            for unit in note.units:
                entity = department_entity(collect, context, unit.name)
                if has_room(entity, context.iri):
                    add_evidence(entity, context.evidence(sentence.norm_start + note.start,
                                                          sentence.norm_start + note.end, sentence.section))
        for start, end, name in running_text_departments(clean, known):
            if any(s <= start < e for s, e in spans):
                continue
            entity = department_entity(collect, context, name)
            add_evidence(entity, context.sentence_evidence(sentence))
    segment = context.segment
    if segment.source_line and segment.source_line_span and _looks_like_unit(segment.source_line):
        entity = department_entity(collect, context, segment.source_line)
        start, end = segment.source_line_span

        add_evidence(entity, Evidence(document=context.iri, source=segment.source.name, section="", start=start,
                                      end=end, quote=segment.source.text[start:end]))
