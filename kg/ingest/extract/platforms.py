"""Named government platforms: apps, portals, systems, codes, hotlines, clouds, chains, databases.

Found by the cues any Chinese policy text uses, never by a list of names:

* a brand in quotes next to a cue word — “X”平台, 移动端“X”, “X”APP, 政务区块链“X”;
* a quoted brand that itself ends in a kind word — “X码”, “X链”, “X云”;
* a noun phrase that ends in a kind word (…平台, …系统, …数据库, …热线, …外网) whose left edge is
  the verb, preposition or punctuation before it (建设…平台, 依托…平台, 升级完善…系统, …的…系统).

Kind words and their kinds come from ``ontology/platform-kinds.ttl``. Quoted slogans that are
initiatives (一网通办, 一朵云) are not platforms; neither are products of companies.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.core import iris
from kg.core.model import Extraction, Ref
from kg.core.ontology import initiatives, platform_kind_cues, platform_kind_words
from kg.core.regions import COUNTRY_CODE, inside_place_name
from kg.ingest.extract.registry import register_extractor
from kg.ingest.extract.context import Collector, DocContext, add_evidence
from kg.ingest.extract.left_boundaries import CONJUNCTIONS, CONTENT_WORDS, LEFT_BOUNDARY, VERB_COMPOUNDS, VERB_PATTERN
from kg.ingest.extract.mentions import find_regions, region_entity
from kg.ingest.extract.platform_links import served_in_sentence
from kg.ingest.extract.platform_owners import names_of, platform_owner
from kg.ingest.extract.platform_words import (GOVERNMENT_DOMAIN, MARKET, MARKET_BRAND, NETWORK_TECHNOLOGY,
                                               NOT_INFORMATION_SYSTEM)
from kg.ingest.extract.platform_scorer import CandidateContext, current_model, features, in_use, merge_features, quantity_before, sentence_cues

_QUANTITY = re.compile(r"[\d一二三四五六七八九十百千两]+多?[个级家项类]")
_CLAUSE_BREAK = re.compile(r"[，。；：！？、,;:（）()〔〕【】《》\s]|——")
_QUOTED = re.compile(r"“([^“”\n]{1,32})”")
_HEADING_NUMBER = re.compile(r"^(?:\d{1,3}[.．、]|（[一二三四五六七八九十\d]+）)")
# Scope words a name may start with; stripped to compare names, kept in labels.
_SCOPE_PREFIX = re.compile(r"^(?:全省|全市|全州|全区|全县|全国|省级|市级|州级|县级|区级|国家级|省|市|州|县|区|国家)")
# Qualifiers that do not make a name: 业务系统, 相关平台, 各类系统 are not platforms.
_GENERIC_STEMS = {"各类", "相关", "有关", "业务", "应用", "部门业务", "其他", "重大", "重要", "重点", "特定", "各种", "跨业务",
                  "跨部门", "现有", "原有", "自建", "部门自建", "各部门", "各级", "非涉密业务", "涉密业务", "业务专",
                  "政府信息", "信息", "行业", "专业", "公共", "创新", "线上", "新技术创新", "系统", "统建业务"}
# Modifiers that, on their own, make a category rather than a name: 政务信息系统, 公共服务平台.
_GENERIC_MODIFIERS = re.compile(r"^(?:政务|政府|业务|行业|部门|信息|应用|共性|通用|相关|各类|各|已建|非涉密|涉密|本|现有|城市|"
                                r"领域|不同|特定|垂直|综合|公共|服务|管理|协同|办公|数据|移动|智能|智慧|网络|基础|支撑|办理|"
                                r"事项|运行|专业|平台|系统|机关|重大|多跨|场景|大|跨|全方位|化|共享|信息化|其他|主题|监测|履职|一体化|部委|部省)+$")
_COMPANY = re.compile(r"公司|集团|有限|股份|企业自建|平台企业|中国电信|中国移动|中国联通|中国广电|运营商")
_MAX_NAME = 32
# A kind word followed by these is part of a longer word (平台企业, 系统性, 云计算), not a name's end.
_NOT_AN_END = re.compile(r"(?:平台(?:企业|经济|型|化|公司|优势)|系统(?:性|化|工程|观念|思维|集成商|筹)|[水仓车金智题文书国入出建和储粮]库|网站群|云(?:计算|服务|端|上|化|原生)|"
                         r"链(?:条|长|主|式)|网络(?:安全|化|强国|空间|攻击|设施|和信息|与信息)|库存|热线电话)")
_PHRASE_CUES = ("通信网络", "感知网络", "观测网络", "监测网络", "算力网络", "传输网络", "骨干网络", "承载网络", "视频网",
                "库", "云")
# Slogans and formulas in quotes are initiatives, not brands: 一张网, 一朵云, 5G+车联网, 智能+.
_SLOGAN = re.compile(r"一[张朵个片套本网屏]|\+|＋|^[一二三四五六七八九十]\w?[一二三四五六七八九十两]|^一(?:平台|中心|号|窗|门|端|库)$|^[一二三四五六七八九十两]+[链网云码库]$|式$|^一.事$|"
                     # modes of handling affairs: 网上办, 掌上办, 就近办, 跨省通办 (initiatives, not apps)
                     r"^(?:网上|掌上|指尖|智能|马上|就近|跨省|跨域|全程|不见面|自助|集成|一次|秒|免申|帮|代|全城|全省|全市)(?:通)?办(?:理)?$")
# Plural scopes (the districts' …): stripped, so that what remains is judged as a name.
_PLURAL_SCOPE = re.compile(r"(?:市、)?(?:区县（市）|区（市）|县（市、区）|县（市）|市（州）|县（区）)")
# A quoted term followed by these is a concept, not a brand: “空天地网”模式.
_CONCEPT_AFTER = ("模式", "体系", "理念", "格局", "工程", "行动", "战略", "机制", "改革", "服务模式")
# A sentence whose subject is companies: what it says they build is theirs.
_COMPANY_SUBJECT = re.compile(r"企业(?:要|应|须|需|应当|按照|开放|建设|搭建|打造|建立|开发|自建)")
_GOVERNMENT_OWNER = re.compile(r"(?:全省|全市|全国|省级|市级|国家|省|市|[^\s“”]{1,3}部(?!门))")  # …, 工信部…
_ONLINE = re.compile(r"网上|掌上|线上|云上|在线|数字|网络|电子|移动")
# Verb + 码 is an action (赋码, 扫码), not a code.
_CODE_ACTION = ("赋码", "扫码", "亮码", "用码", "验码")
# A service number names its hotline (12345热线, “12315”热线): five digits or more, not a count.
_SERVICE_NUMBER = re.compile(r"\d{5,}")


@dataclass(frozen=True)
class PlatformMention:
    start: int  # clean offsets within the sentence
    end: int
    name: str  # canonical name (quotes removed for brands)
    surface: str  # text as written, quotes included
    kind: str  # platform-kind IRI
    branded: bool
    # What the candidate rules noticed about it (market, unanchored, bare-brand …): features for
    # the fitted scorer (platform_scorer), which decides whether the candidate is a platform.
    flags: frozenset = frozenset()


@functools.lru_cache(maxsize=1)
def _cue_table() -> tuple[tuple[str, str, int], ...]:
    return tuple((c.word, c.target, c.priority) for c in platform_kind_cues())


@functools.lru_cache(maxsize=1)
def _strong_cues() -> tuple[str, ...]:
    """Kind words that end a name (longest first); 应用/中心/品牌 only follow quoted brands."""
    weak = {"应用", "中心", "品牌", "服务品牌", "网络", "云", "链", "码", "窗口"}
    return tuple(word for word, _, _ in _cue_table() if word not in weak)


@functools.lru_cache(maxsize=1)
def _cues_by_word() -> tuple[dict[str, list[tuple[int, int, str]]], tuple[int, ...]]:
    """Each cue word's ``(priority, -rank, target)`` entries, and the words' lengths."""
    by_word: dict[str, list[tuple[int, int, str]]] = {}
    for rank, (word, target, priority) in enumerate(_cue_table()):
        by_word.setdefault(word, []).append((priority, -rank, target))
    return by_word, tuple(sorted({len(word) for word in by_word}))


@functools.lru_cache(maxsize=8192)
def kind_of(name: str, following: str = "") -> str:
    """Platform-kind IRI for a name (and the cue word that follows a quoted brand): of the cue
    words either ends with, the one of highest priority, then the longest, then the first listed."""
    by_word, lengths = _cues_by_word()
    best = None
    for text in (following, name):
        for length in lengths:
            if length > len(text):
                break
            for priority, rank, target in by_word.get(text[len(text) - length:], ()):
                if best is None or (priority, length, rank) > best[0]:
                    best = ((priority, length, rank), target)
    return best[1] if best else iris.PLATFORM_KIND + "other"


@functools.lru_cache(maxsize=1)
def _initiative_labels() -> frozenset[str]:
    return frozenset(label for concept in initiatives().values() for label in concept.labels)


def _cue_after(text: str, position: int) -> str | None:
    cue = platform_kind_words().starting(text, position)
    if cue is not None:
        return cue
    for word in ("应用程序", "移动应用", "平台", "系统", "门户"):
        if text.startswith(word, position):
            return word
    return None


def _cue_before(text: str, position: int) -> str | None:
    for word in ("移动端", "客户端", "小程序", "公众号", "APP", "App", "政务区块链", "区块链", "品牌", "平台", "热线"):
        if text.endswith(word, 0, position):
            return word
    return None


@functools.lru_cache(maxsize=1)
def _brand_endings() -> tuple[str, ...]:
    """Kind words that make a quoted name a platform by themselves: “X码”, “X链”, “X云脑”."""
    return tuple(w for w, _, _ in _cue_table() if w not in ("应用", "品牌", "服务品牌")) + ("中台", "网")


_QUOTED_LIST_TAIL = re.compile(r"(?:[、和及与]?“[^“”\n]{1,32}”)*(?:[一二三四五六七八九十两\d]+[大个项款类]?|等)?")
_VERSION = re.compile(r"\d+(?:\.\d+)+版?")  # “X”2.0, “X”5.0版: a software release


def _list_cue(text: str, position: int) -> str | None:
    """The kind word after a list of quoted names: “A”“B”“C”三大平台, “A”、“B”等APP."""
    end = _QUOTED_LIST_TAIL.match(text, position).end()
    return _cue_after(text, end) if end > position else None


def _quoted_brands(text: str) -> list[PlatformMention]:
    found = []
    for match in _QUOTED.finditer(text):
        inner = match.group(1).strip()
        if len(inner) < 2 or _COMPANY.search(inner) or "、" in inner or "，" in inner or _SLOGAN.search(inner):
            continue
        after = _cue_after(text, match.end())
        if after and (_NOT_AN_END.match(text, match.end()) or _not_a_word_end(text, match.end(), match.end() + len(after))):
            after = None  # “天眼”网络安全实验室: 网络 begins another word
        if re.match(r"[^，。；“”]{0,8}?(?:%s)" % "|".join(_CONCEPT_AFTER), text[match.end():]) or inner.endswith(_CODE_ACTION):
            continue  # “X网”立体化管理模式: a concept
        flags = set()
        if MARKET_BRAND.fullmatch(inner):
            continue  # “双跨”平台, “双创”平台: a class of industry platforms in quotes, not a brand
        if MARKET_BRAND.search(inner) and not _SCOPE_PREFIX.match(inner):
            flags.add("market")  # industry platforms in quotes: “双创”平台
        if NETWORK_TECHNOLOGY.search(inner) and not GOVERNMENT_DOMAIN.search(inner):
            continue  # network technologies in quotes: “千兆”网络
        if inner in platform_kind_words():
            continue  # a kind word alone (“掌上办”) names nothing
        described = None if after else _DESCRIBED.match(text, match.end())
        if described and (_NOT_AN_END.match(text, described.start(2)) or VERB_PATTERN.search(described.group(1))
                          or not _BRAND_FORM.search(inner)):
            described = None  # “两小”创业通平台: a slogan inside a descriptive name, not a brand
        if described:  # “X”企业综合服务平台: a brand and what it is (“X”产业互联网平台: a firm's)
            flags.add("described" if not MARKET.search(described.group(1)) else "market")
        before = _cue_before(text, match.start())
        if before and MARKET.search(text, max(0, match.start() - 12), match.start()):  # 工业互联网平台“X”: a firm's
            flags.add("market")
        listed = None if after or described else _list_cue(text, match.end())
        if listed and not (inner in _initiative_labels() or _SLOGAN.search(inner)):
            found.append(PlatformMention(match.start(), match.end(), inner, text[match.start():match.end()],
                                         kind_of(inner, listed), True, frozenset(flags | {"listed"})))
            continue
        released = _VERSION.match(text, match.end()) or text.endswith("上线", 0, match.start()) or \
            re.match(_LISTED_NAMES + r"(?:正式)?(?:上线|迭代|升级|投用|启用)", text[match.end():])  # “X”“Y”迭代升级
        ends_in_kind = inner.endswith(_brand_endings()) and not _not_a_word_end(inner, len(inner) - 1, len(inner))
        numbered = bool(_SERVICE_NUMBER.search(inner))  # “12345·X首发”: a hotline's brand
        if len(inner) > 20 and not ends_in_kind:
            continue
        if inner in _initiative_labels() and not ends_in_kind:
            if not after or after in ("应用", "品牌", "服务品牌"):
                continue  # a slogan: “一网通办”, “最多跑一次”
            name = f"“{inner}”{after}"
            found.append(PlatformMention(match.start(), match.end() + len(after), name, name, kind_of(name), True,
                                         frozenset(flags | {"initiative-name"})))
            continue
        # A quoted name whose 功能 (functions) are improved is a system: 优化“X”功能.
        has_functions = text.startswith("功能", match.end()) and inner not in _initiative_labels()
        if not (after or described or before or ends_in_kind or has_functions or released or numbered):
            # a bare quoted name: a candidate only as the object of a verb of using or building
            # a system (接入“X”, 登录“X”, 上线“X”); the scorer decides, slogans are common here
            verb = _BRAND_VERB.search(text, max(0, match.start() - 6), match.start())
            acted = re.match(_SYSTEM_AFTER, text[match.end():])
            if inner in _initiative_labels() or len(inner) > 12 or not (
                    verb or acted or VERB_PATTERN.search(text, max(0, match.start() - 4), match.start())):
                continue
            flags.add("bare-brand")
            if verb or acted:
                flags.add("system-verb")  # 接入“X”, “X”上线运行: verbs said of systems, not of slogans
        if after in ("品牌", "服务品牌"):
            flags.add("brand-word")
        end = described.end() if described else match.end() + (len(after) if after else 0)
        kind = kind_of(inner, after or (described and described.group(2)) or before or ("热线" if numbered else ""))
        name = inner + after if after and _SERVICE_NUMBER.fullmatch(inner) else inner  # “12345”热线 is 12345热线
        found.append(PlatformMention(match.start(), end, name, text[match.start():end], kind, True, frozenset(flags)))
    return found


# What a quoted brand is, said right after it: “X”企业综合服务平台, “X”政务服务移动端.
# The forms brands take (not slogans): a Latin letter (i某市, 某e办), a service ending (某事通, 某快办).
_BRAND_FORM = re.compile(r"[A-Za-z]|(?:通|办|码|云|链|易|宝|管|达|家)$")
_DESCRIBED = re.compile(r"([^，。；、：“”（）()\s\d]{1,10}?)(平台|系统|APP|App|小程序|公众号|客户端|移动端|门户|网站|热线|服务网|大厅)")
# What is said of a system right after its quoted name: “X”上线运行, “X”“Y”迭代升级, 发挥“X”作用.
_SYSTEM_AFTER = r"(?:“[^“”]{1,12}”)*(?:正式)?(?:上线|运行|迭代|升级|功能|投用|启用|APP|App|小程序|客户端|移动端|作用|服务)"
# Verbs whose object, in quotes, is a system one uses or builds: 接入“X”, 登录“X”, 上线“X”, 依托“X”.
_BRAND_VERB = re.compile(r"(?:接入|登录|上线|依托|通过|使用|下载|注册|入驻|迭代|升级|推出|上架|打响|用好|完善|拓展|优化|覆盖|依靠|借助)"
                         r"[了好]?$")


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans no boundary may cut: quotes and short parentheses inside names."""
    spans = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"[（(][^（）()，。；、]{1,12}[）)]", text)]
    return spans


def _boundaries(text: str, cue_start: int) -> tuple[int, str]:
    """The last position before ``cue_start`` where a name could start, and the boundary word there."""
    protected = _protected(text[:cue_start])

    def inside(position: int) -> bool:
        return any(s < position < e for s, e in protected)

    start, word_at_start = 0, ""
    for match in _CLAUSE_BREAK.finditer(text, 0, cue_start):
        if not inside(match.start()) and not any(s == match.start() or e == match.end() for s, e in protected):
            start, word_at_start = max(start, match.end()), ""
    for match in LEFT_BOUNDARY.finditer(text, start, cue_start):
        word = match.group()
        if inside(match.start()) or (len(word) == 1 and text[match.start():match.start() + 2] in CONTENT_WORDS):
            continue
        if len(word) == 1 and text[max(0, match.start() - 1):match.start() + 1] in CONTENT_WORDS:
            continue
        if text.endswith(VERB_COMPOUNDS, 0, match.end()):
            continue
        if match.end() >= start:
            start, word_at_start = match.end(), word
    for match in _QUANTITY.finditer(text, start, cue_start):
        if not inside(match.start()):
            start, word_at_start = max(start, match.end()), ""
    for conjunction in CONJUNCTIONS:
        position = text.rfind(conjunction, start, cue_start)
        # A conjunction separates two names only when a name ends right before it.
        if position > start and not inside(position) and (
                text[position - 1] == "”" or any(text.endswith(w, 0, position) for w in _strong_cues())
                or re.match(r"\d{3,}|“", text[position + len(conjunction):])):  # …与12345热线, …和“X”平台
            start, word_at_start = max(start, position + len(conjunction)), conjunction
    return start, word_at_start


def _acted_on(text: str, start: int, end: int) -> bool:
    """Whether the clause around a noun phrase builds, runs or relies on it (a verb before it
    in the same clause, items of a list included, or 建设/功能 right after it)."""
    clause_start = max(text.rfind(ch, 0, start) for ch in "，。；：！？") + 1
    return bool(VERB_PATTERN.search(text, clause_start, start)) or bool(re.match(_ACTED_AFTER, text[end:]))


# What follows a system's name when the sentence is about it: 建设, 功能, 建成投用, 上线运行 …; after a
# list of quoted names it is said of each (“A”“B”迭代升级).
_LISTED_NAMES = r"(?:[、和及与]?“[^“”]{1,12}”)*"
_ACTED_AFTER = r"(?:建设|功能|及其|及移动端|(?:正式|全面|顺利)?(?:建成|投用|投入|上线|运行|启用|试点|迭代|升级)|二期|三期|[一二三]期工程)"


def _after_coordination(text: str, start: int, cue_start: int) -> int:
    """Drop a leading conjunction, and the first conjunct when it is a thing of its own
    (网络设施和信息系统 → 信息系统)."""
    for conjunction in CONJUNCTIONS:
        if text.startswith(conjunction, start):
            start += len(conjunction)
    for conjunction in CONJUNCTIONS:
        position = text.find(conjunction, start, cue_start)
        if position > start and re.search(r"(设施|技术|协同|网络|网|中心|平台|系统|终端|体系)$", text[start:position]):
            return position + len(conjunction)
    return start


def _left_edge(text: str, cue_start: int) -> tuple[int, str]:
    """Where the noun phrase ending at ``cue_start`` begins, and the word before it."""
    start, word = _boundaries(text, cue_start)
    heading = _HEADING_NUMBER.match(text[start:cue_start])
    if heading:
        start += heading.end()
    while start < cue_start and text[start] in "”":
        start += 1
    return start, word


@functools.lru_cache(maxsize=1)
def _phrase_cue_pattern() -> re.Pattern:
    cues = tuple(c for c in _strong_cues() if c != "网络") + _PHRASE_CUES
    return re.compile("|".join(map(re.escape, sorted(cues, key=len, reverse=True))))


def _not_a_word_end(text: str, start: int, end: int) -> bool:
    """A kind word that is part of another word here: 网上, 网络 (after 服务网), 云网, 云链, 上云,
    水库, 题库."""
    after, before = text[end:end + 1], text[start - 1:start] if start else ""
    cue = text[start:end]
    if cue.endswith("网") and after and after in "上络格点民站页速关购店红":
        return True
    if cue.endswith("云") and (after and after in "网链边端上直展游课仓中" or before == "上"):
        return True
    if cue.endswith("办") and after and after in "理事结好成":
        return True  # 掌上办理: a verb, not the 掌上办 app
    return cue == "库" and bool(before) and before in "水仓车金智题文书国入出建和储粮"


def _phrases(text: str) -> list[PlatformMention]:
    found = []
    for match in _phrase_cue_pattern().finditer(text):
        end = match.end()
        if _NOT_AN_END.match(text, match.start()) or text[end:end + 1] in ("库", "系", "平"):
            continue
        if _not_a_word_end(text, match.start(), end) or inside_place_name(text, end):
            continue
        start, before = _left_edge(text, match.start())
        start = _after_coordination(text, start, match.start())
        plural = _PLURAL_SCOPE.match(text, start)
        if plural:
            start = plural.end()  # the name is what follows; the scope still makes it a government one
        if text[start - 2:start] == "省、" and text[start:start + 1] == "市":
            start += 1  # 省、市统一缴费平台: one platform name shared by two scopes
        cue = match.group()
        if re.search(r"(?:平台|系统)移动端$", text[start:end]):
            end, cue = end - len("移动端"), text[end - 5:end - 3]  # the mobile end of a platform is that platform
        core = text[start:end].strip()  # the name up to its kind word
        abbreviation = re.match(r"（[A-Za-z0-9]{2,10}）", text[end:])
        if abbreviation:
            end += abbreviation.end()  # 城市大脑能力平台（CBP）
        name = text[start:end].strip()
        if re.search(r"(?:^|[^统])一个?$", text[max(0, start - 3):start]) or name.startswith(("同", "一平台")):
            continue  # 一个…平台, 同平台: a count or a slogan, not a name
        if cue.endswith("大厅") and not _ONLINE.search(name):
            continue  # 政务服务大厅: a building; 网上办事大厅 is a portal
        if re.search(r"数据.{0,4}交易", name):
            continue  # a data exchange (数据交易平台, 数据流通交易平台), extracted as such
        if NOT_INFORMATION_SYSTEM.search(name) or (name.endswith(("网", "网络")) and NETWORK_TECHNOLOGY.search(name)
                                                     and not GOVERNMENT_DOMAIN.search(name)):
            continue
        governed = bool(plural or _SCOPE_PREFIX.match(name) or find_regions(name[:6]))
        scoped = governed or name.startswith(("一体化", "统一")) or bool(re.search(r"[0-9A-Za-z“]", core[:-len(cue)]))
        flags = set()
        if not (scoped or _acted_on(text, start, end)):
            flags.add("unanchored")  # no scope and no verb of building: often a passing kind
        if MARKET.search(name) and not governed and not re.search(r"企业", name):
            flags.add("market")  # the words themselves are features too; 企业 names services to firms as often
        if governed:
            flags.add("governed")
        stem = _SCOPE_PREFIX.sub("", core)[: -len(cue)] if core.endswith(cue) else ""
        if len(name) > _MAX_NAME or len(stem) < 2 or stem in _GENERIC_STEMS or _COMPANY.search(name):
            continue
        if cue == "平台" and stem in ("数字", "数字化", "网络", "互联网", "在线", "数字经济") and not governed:
            continue  # 数字平台, 互联网平台: a kind of platform, not one
        if re.search(r"各|相关|有关|或者|不同|分领域|分行业|行业分|分区域|重点(?:行业|领域)|行业和领域", name) or \
                re.compile(r"[分各](?:行业|领域|区域)").search(text, max(text.rfind(c, 0, start) for c in "，。；：") + 1, start):
            continue  # a category: 各类业务系统, 相关平台, 分领域大脑, 重点行业…平台, 分行业搭建…平台
        if (re.fullmatch(r"[一二三四五六七八九十百千两\d]+", stem) and not _SERVICE_NUMBER.fullmatch(stem)) or \
                re.search(r"(?:与|和|及)(?:平台|系统)$", name):
            continue  # a count (四链) or a coordination cut short (政府与平台): no name
        if _GENERIC_MODIFIERS.match(stem) and (not _SCOPE_PREFIX.match(name) or (
                cue in ("系统", "平台") and stem.endswith(("业务", "信息")))):
            # made of generic modifiers only (业务系统, 政务信息系统): a category. A city's one system
            # may read so too (城市运行管理服务平台): 城市 as its owner; the scorer weighs it
            if not stem.startswith("城市"):
                continue
            flags.add("generic-stem")
        if cue in ("库", "云", "链") and (len(stem) < 3 or name.endswith(("智库", "题库", "仓库", "金库"))):
            continue
        if re.fullmatch(r"“[^“”]+”", stem) and _SLOGAN.search(stem[1:-1]):
            continue  # “一园两区”云…: a quoted slogan and a kind word that begins another word
        if name.count("“") != name.count("”") or name.startswith(("各", "其他", "相关", "有关", "其")):
            continue
        found.append(PlatformMention(start, end, name, name, kind_of(core), False, frozenset(flags)))
    # Longest first, so 政府网站集约化平台 wins over 政府网站.
    return sorted(found, key=lambda m: (-(m.end - m.start), m.start))


@functools.lru_cache(maxsize=8192)  # per sentence, read again by other documents
def find_platforms(text: str) -> tuple[PlatformMention, ...]:
    """Platform mentions in one sentence of clean text; brands win over overlapping phrases."""
    phrases = _phrases(text)
    # A bare quoted name inside a longer name is that name's part: 完善“金城通”协同办公平台.
    mentions = [m for m in _quoted_brands(text) if "bare-brand" not in m.flags
                or not any(p.start < m.end and m.start < p.end for p in phrases)]
    taken = [(m.start, m.end) for m in mentions]
    for mention in phrases:
        if any(s < mention.end and mention.start < e for s, e in taken):
            continue
        mentions.append(mention)
        taken.append((mention.start, mention.end))
    return tuple(sorted(mentions, key=lambda m: m.start))


@functools.lru_cache(maxsize=8192)
def canonical_key(name: str, region_names: tuple[str, ...] = ()) -> str:
    """Key under which spellings of one platform merge: no quotes, spaces or leading scope.

    >>> canonical_key("省“皖事通”APP", ("安徽省",))
    '皖事通APP'
    """
    key = re.sub(r"[“”\"'\s]", "", name)
    key = re.sub(r"[（(][^（）()]*[）)]", "", key) or key  # explanations and abbreviations in brackets
    key = re.sub(r"(?:基础)?数据库$|基础库$", "库", key)  # 人口基础数据库 = 人口库
    key = re.sub(r"([云链])平台$", r"\1", key)  # 政务云平台 = 政务云
    for prefix in sorted(region_names, key=len, reverse=True):
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix):]
            break
    key = _SCOPE_PREFIX.sub("", key) or key
    return re.sub(r"^一体化(?=.{3})", "", key)


@functools.lru_cache(maxsize=8192)  # per mention, read again by other documents of the region
def _naming(mention: PlatformMention, sentence: str, region: str | None, explained: str | None):
    """``(owner, key, spelling)`` of a mention in its sentence (before its document's merges), or
    None for a company's own system. ``explained``: the name it stands in brackets after (X（或Y）)."""
    if _COMPANY_SUBJECT.search(sentence, 0, mention.start) and not _GOVERNMENT_OWNER.match(mention.name):
        return None
    owner = platform_owner(mention.name, sentence, region)
    region_names = names_of(owner, region)
    brand = re.match(r"“([^”]{2,})”(.+)$", mention.name)
    if brand and kind_of(brand.group(2)) != iris.PLATFORM_KIND + "other":
        key = canonical_key(brand.group(1), region_names)  # “X通”协同办公平台 is X通
    elif explained is not None:
        key = canonical_key(explained, region_names)
    elif mention.kind.endswith("/hotline") and _SERVICE_NUMBER.search(mention.name):  # 12345便民热线, “某某·12345”
        key = _SERVICE_NUMBER.search(mention.name).group() + "热线"  # one hotline, however written
    else:
        key = canonical_key(mention.name, region_names)
    spelling = re.sub(r"\s", "", mention.surface)
    return owner, key, spelling[1:-1] if re.fullmatch(r"“[^“”]+”", spelling) else spelling


_BRAND_SUFFIXES = ("APP", "App", "app", "移动端", "客户端", "小程序", "平台", "系统", "门户", "应用程序", "移动应用", "应用")


@dataclass(frozen=True)
class Candidate:
    """A platform candidate of one sentence, with the features the scorer decides on."""

    mention: PlatformMention
    sentence: object  # kg.core.model.Sentence
    features: dict


def _kind_word(name: str) -> str:
    return platform_kind_words().ending(name) or ""


_COMPANY_IN_CLAUSE = re.compile(r"企业|公司|集团|厂商|运营商|高校|院所|大学|学院|研究院|科研机构")


@functools.lru_cache(maxsize=8192)  # per sentence, read again by other documents
def _observed(clean: str) -> tuple[tuple[PlatformMention, str, tuple], ...]:
    """``(mention, canonical key, what its sentence says of it)`` of each platform mention in a
    sentence: all a candidate's features that do not depend on its document."""
    observed = []
    for mention in find_platforms(clean):
        clause_start = max(clean.rfind(ch, 0, mention.start) for ch in "，。；：！？") + 1
        said = (bool(_COMPANY_SUBJECT.search(clean, 0, mention.start)),
                bool(_COMPANY_IN_CLAUSE.search(clean, clause_start, mention.start)),
                bool(VERB_PATTERN.search(clean, clause_start, mention.start)),
                bool(re.match(_LISTED_NAMES + _ACTED_AFTER, clean[mention.end:])),
                quantity_before(clean, mention.start), in_use(clean),
                sentence_cues(clean, mention.start, mention.end, clause_start),
                _kind_word(mention.name), bool(find_regions(mention.name)))
        observed.append((mention, canonical_key(mention.name), said))
    return tuple(observed)


@functools.lru_cache(maxsize=8192)  # a sentence's candidate in documents of one genre and level
def _features(mention: PlatformMention, said: tuple, genre: str, national: bool, in_review: bool,
              repeated: bool) -> dict[str, float]:
    company_subject, company_in_clause, build_verb, acted_after, quantity, used, cues, kind_word, region_in_name = said
    situation = CandidateContext(genre=genre, national=national, in_review=in_review, company_subject=company_subject,
                                 company_in_clause=company_in_clause, build_verb_before=build_verb,
                                 acted_after=acted_after, quantity_before=quantity, repeated=repeated, used=used,
                                 cues=cues)
    return features(name=mention.name, kind=mention.kind, branded=mention.branded, flags=mention.flags,
                    kind_word=kind_word, context=situation, region_in_name=region_in_name, surface=mention.surface)


def platform_candidates(context: DocContext) -> list[Candidate]:
    """Every candidate the rules find in the document, in text order, with its features (one
    dictionary shared by equal candidates: read it, do not change it)."""
    found = []
    counts: dict[str, int] = {}
    for sentence, clean in zip(context.body_sentences(), context.sentence_texts()):
        for mention, key, said in _observed(clean):
            found.append((sentence, mention, key, said))
            counts[key] = counts.get(key, 0) + 1
    national = context.region_code == COUNTRY_CODE
    review_end = context.review_end
    return [Candidate(mention, sentence, _features(mention, said, context.genre, national,
                                                   review_end is not None and sentence.norm_start < review_end,
                                                   counts[key] > 1))
            for sentence, mention, key, said in found]


@functools.lru_cache(maxsize=8192)
def candidate_key(mention: PlatformMention) -> str:
    """Key under which a document's mentions of one platform are decided together."""
    brand = re.match(r"“([^”]{2,})”", mention.name)
    return canonical_key(brand.group(1) if brand else mention.name)


def decided_keys(candidates: list[Candidate], model) -> set[str]:
    """Keys of the candidates the model accepts, each decided on all its mentions together."""
    grouped: dict[str, list[dict]] = {}
    for candidate in candidates:
        grouped.setdefault(candidate_key(candidate.mention), []).append(candidate.features)
    # one mention's features are their own merge
    return {key for key, values in grouped.items() if model.accepts(values[0] if len(values) == 1 else merge_features(values))}


@register_extractor("platforms")
def extract_platforms(context: DocContext, extraction: Extraction) -> None:
    collect = Collector(extraction)
    text = context.norm.text
    model = current_model()
    brands: dict[str, str] = {}  # key of "brand+suffix" -> key of brand, so “X”平台 and X merge
    ending_in: dict[str, list[str]] = {}  # each ending of 6 characters or more -> the keys seen with it, in order
    by_sentence: dict[int, list[Candidate]] = {}
    candidates = platform_candidates(context)
    accepted_keys = decided_keys(candidates, model)
    for candidate in candidates:
        by_sentence.setdefault(candidate.sentence.norm_start, []).append(candidate)
    for candidates in by_sentence.values():  # in text order
        sentence = candidates[0].sentence
        clean = text[sentence.norm_start:sentence.norm_end]
        mentions = [c.mention for c in candidates]
        accepted = tuple(m for m in mentions if candidate_key(m) in accepted_keys)
        aliases_of: dict[int, str] = {}  # mention start -> the name it explains: X（或Y）
        for first, second in zip(mentions, mentions[1:]):
            if re.fullmatch(r"（或?", clean[first.end:second.start]) and clean.startswith("）", second.end):
                aliases_of[second.start] = first.name
        for mention in accepted:
            named = _naming(mention, clean, context.region_code, aliases_of.get(mention.start))
            if named is None:
                continue  # 电信企业要完善…系统: a company's own system
            owner, key, spelling = named
            if len(key) >= 6:  # an abbreviation after the full name: 统一公共缴费平台 … 公共缴费平台
                key = next((k for k in ending_in.get(key, ()) if k != key), key)
            if key not in ending_in.get(key, ()):  # first seen
                for length in range(6, len(key) + 1):
                    ending_in.setdefault(key[-length:], []).append(key)
            if mention.branded:
                for suffix in _BRAND_SUFFIXES:
                    if key.endswith(suffix) and len(key) > len(suffix) + 1:
                        brands[key] = key[: -len(suffix)]
            key = brands.get(key, key)
            entity = collect.entity(iris.platform(owner or f"doc-{iris.slug(context.iri)}", key), "Platform",
                                    label=mention.name)
            if spelling != re.sub(r"\s", "", entity.label) and spelling not in entity.aliases:
                entity.aliases.append(spelling)
            if not entity.props.get("gk:platformKind"):
                entity.add("gk:platformKind", Ref(mention.kind))
            if owner and not entity.props.get("gk:inRegion"):
                entity.add("gk:inRegion", Ref(iris.region(owner)))
                region_entity(collect, owner)
            entity.add("gk:statedIn", Ref(context.iri))
            evidence = context.sentence_evidence(sentence)
            add_evidence(entity, evidence)
            for initiative in served_in_sentence(clean, mention, accepted):
                collect.relate(entity.iri, "gk:serves", initiative, evidence)

