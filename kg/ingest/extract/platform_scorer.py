"""The fitted decision on platform candidates: is this candidate a government platform?

The candidate rules (platforms.py) find every noun phrase or quoted name that could be a
platform and note what they saw (a market word, no verb of building, a bare quoted name …).
This module turns a candidate into interpretable features of the language — its kind word,
whether it is quoted, how long its stem is, whether its words are about information systems,
markets, research, physical infrastructure or quality, what verb governs it, where in the
document it stands — and scores them with a logistic regression whose weights were fitted on
the annotated check sets (``tests/checkset``). The weights ship as ``platform_scorer.json``
beside this file; ``tools/fit_platform_scorer.py`` refits them (deterministically) and reports
leave-one-source-out figures. Scoring needs no third-party library.
"""
from __future__ import annotations

import functools
import json
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import OntologyError
from kg.core.ontology import province_abbreviations

MODEL_FILE = Path(__file__).with_name("platform_scorer.json")

# Word classes, by meaning. Each is a feature: how many of its words a candidate's name holds.
WORD_CLASSES = {
    # what information systems are about
    "information": r"信息|数据|数字|智慧|智能|政务|网上|电子|在线|监管|监测|指挥|调度|共享|交换|开放|感知|监督|执法|审批|"
                   r"办|通|码|云|治理|预警|应急|统一|一体化|公共服务|便民|热线|服务|管理|征信|信用|档案|地理|空间",
    # the fields of public service and administration a government's own systems serve
    "public-service": r"健康|医疗|医保|养老|就业|社保|社会保障|教育|民政|救助|信访|公安|警务|消防|城管|住房|公积金|不动产|"
                      r"税务|司法|法律|审判|检察|审计|统计|气象|水利|自然资源|国土|规划|生态环境|环境|交通|市民|居民|群众|"
                      r"社区|基层|网格|诉求|政策|办事|政务|行政|机关",
    # markets, industries, companies, trade
    "market": r"工业|产业|经济|商务|贸易|招商|交易|金融|物流|电商|商贸|消费|市场|营销|广告|商城|双跨|供应链|品牌|培育",
    # industries and their products: a sector's platform serves firms, not the public
    "industry": r"生物|医药|药|细胞|种质|化工|材料|芯片|集成电路|半导体|汽车|新能源|光伏|锂电|纺织|服装|家电|家具|冶金|钢铁|黄金|"
                r"有色|农产品|食品|制造|软件|算力|低代码",
    # a government serving enterprises: 惠企, 涉企, 企业综合服务 (not companies' own platforms)
    "enterprise-service": r"惠企|涉企|政企|企业服务|企业综合服务|企业家|营商|助企|服务企业|为企|企业.{0,4}服务|企业诉求",
    # research, innovation, talent, exchange
    "innovation": r"研发|创新|孵化|实验|研究|博士后|技术|开源|竞赛|宣介|宣传|展示|交流|合作|友城|友好城市|双创|智库|科创|成果转化",
    # physical infrastructure and facilities
    "physical": r"电力|能源|原油|储备|储气|储油|储库|管网|港口|码头|铁路|粮库|粮食|燃气|水库|车站|场站|机场|电网|热力|矿山|仓储|油气|工厂|"
                r"森林|道路|桥梁|园区|种质|种子|装备|(?<!香)港|栽培|种植|养殖|灌溉",
    # praise and size words that make a category: 高水平开放平台, 重大合作平台
    "quality": r"高水平|高质量|重大|新型|知名|综合性|第三方|一流|国家级|省级以上|重要|各类|多元|专业|大型|全媒体|首个|示范",
    # development words
    "abstract": r"发展|开放|合作|平台经济|生态|载体|赋能|高地|枢纽|新门户|之城|中心城市",
}
_COMPILED = {name: re.compile(pattern) for name, pattern in WORD_CLASSES.items()}
# Words that say what kind of platform, not which one.
_GENERIC_WORDS = re.compile(r"数字化|数字|经济|综合性|综合|公共|服务|行业|领域|区域|分|数据|共享|政府|管理|信息|平台|网络|技术|"
                            r"应用|业务|系统|智能|智慧|一体化|统一|新型|现代化|高水平|重点|特色|专业|功能性|国际|与|和|及")
_SCOPE = re.compile(r"^(?:全省|全市|全州|全区|全县|全国|省级|市级|州级|县级|区级|国家级|省|市|州|县|区|国家)")
_QUANTITY_BEFORE = re.compile(r"(?:[\d一二三四五六七八九十两百千]+[个大批项家类座]|一批|多个|若干|一系列|各类|各级)$")
# Names of things that are no information systems: industrial zones (…产业平台, 产业发展平台) and
# rosters of firms, projects or people (…企业培育库, 名录库, 项目库, 储备库).
_NOT_A_SYSTEM = re.compile(r"产业(?:发展)?平台$|(?:培育|名录|目录|储备|后备|项目)库$")
_KINDS = ("app", "portal", "system", "code", "hotline", "cloud", "blockchain", "database", "network", "other")
_SOFT_FLAGS = frozenset({"market", "unanchored", "bare-brand", "generic-stem"})
_FLAGS = ("market", "unanchored", "governed", "listed", "initiative-name", "bare-brand", "brand-word", "generic-stem",
          "system-verb", "described")


@dataclass(frozen=True)
class CandidateContext:
    """Where a candidate stands: the document's genre and level, and its sentence."""

    genre: str
    national: bool  # the document governs the country
    in_review: bool  # inside a work report's review of the past year
    company_subject: bool  # the sentence's subject is companies
    company_in_clause: bool  # companies stand in its clause before it (支持企业建设…, 龙头企业打造…)
    build_verb_before: bool  # a verb of building or using governs it in its clause
    acted_after: bool  # what follows says a system's life: 建成投用, 上线运行, 功能, 二期
    quantity_before: bool  # a count or a plural scope stands right before it (三大平台, 一批…)
    repeated: bool  # the document names it in more than one sentence
    used: bool = False  # its sentence speaks of a service in use: users, downloads, cases handled, 上线, 迭代
    cues: frozenset = frozenset()  # what the words around it say (:func:`sentence_cues`)


def stem_of(name: str, kind_word: str) -> str:
    """The part of a name between its scope prefix and its kind word."""
    stem = _SCOPE.sub("", re.sub(r"[“”]", "", name))
    return stem[: -len(kind_word)] if kind_word and stem.endswith(kind_word) else stem


def features(*, name: str, kind: str, branded: bool, flags: frozenset, kind_word: str,
             context: CandidateContext, region_in_name: bool, surface: str = "") -> dict[str, float]:
    """The candidate as named, interpretable features (absent features are 0). The word classes
    count the words of its ``surface`` too: what a quoted brand is said to be (“X”黄金产业互联网平台)."""
    found: dict[str, float] = {"bias-free": 0.0}
    local_kind = kind.rsplit("/", 1)[-1]
    found[f"kind:{local_kind if local_kind in _KINDS else 'other'}"] = 1.0
    if branded:
        found["branded"] = 1.0
        if len(name) <= 4:
            found["short-brand"] = 1.0
        bare = re.sub(r"[“”]", "", name)
        if re.search(r"(?:通|办|码|云|易|e|E|i|I)$|^[iIeE]", bare):
            found["service-brand-form"] = 1.0  # invented examples: 晋事通, 皖快办, 苏安码, e某城, i某市
        if region_in_name or any(ch in province_abbreviations() for ch in bare[:2]):
            found["place-in-brand"] = 1.0  # invented examples: 爱某省, 晋事通, 苏安码: brands are made of places
        if "bare-brand" in flags:  # a quoted name with no kind word: only its form tells a brand from a slogan
            for key in ("service-brand-form", "place-in-brand"):
                if key in found:
                    found[f"bare-brand&{key}"] = 1.0
            if "system-verb" in flags:
                found["bare-brand&system-verb"] = 1.0
    for flag in flags:
        if flag in _FLAGS:
            found[f"flag:{flag}"] = 1.0
    if not flags & _SOFT_FLAGS:
        found["rules-keep"] = 1.0  # what the candidate rules alone would keep: none of their doubts
    stem = stem_of(name, kind_word)
    size = len(stem)
    found["stem:" + ("0-2" if size <= 2 else "3-4" if size <= 4 else "5-8" if size <= 8 else "9+")] = 1.0
    if size:
        generic = sum(len(m.group()) for m in _GENERIC_WORDS.finditer(stem))
        if generic / size >= 0.6:
            found["stem-mostly-generic"] = 1.0  # 数字经济平台, 综合性服务平台: words any platform could have
    for word_class, pattern in _COMPILED.items():
        count = len(pattern.findall(surface if len(surface) > len(name) else name))
        if count:
            found[f"words:{word_class}"] = float(min(count, 3))
    if region_in_name:
        found["region-in-name"] = 1.0
    if re.search(r"[0-9A-Za-z]", name):
        found["digit-or-latin"] = 1.0
    if name.endswith(("中心", "中心平台")):
        found["ends:centre"] = 1.0
    if name.endswith(("大脑", "云脑", "智脑")):
        found["ends:brain"] = 1.0
    if _NOT_A_SYSTEM.search(name):
        found["ends:zone-or-roster"] = 1.0
    genre = context.genre if context.genre in ("WorkReport", "Article") else "policy"
    found[f"genre:{genre}"] = 1.0
    for key, value in (("national", context.national), ("in-review", context.in_review),
                       ("company-subject", context.company_subject), ("company-in-clause", context.company_in_clause),
                       ("build-verb", context.build_verb_before), ("acted-after", context.acted_after),
                       ("quantity-before", context.quantity_before), ("repeated", context.repeated),
                       ("used", context.used)):
        if value:
            found[key] = 1.0
    for cue in context.cues:
        found[f"cue:{cue}"] = 1.0
    del found["bias-free"]
    return found


def merge_features(per_mention: list[dict[str, float]]) -> dict[str, float]:
    """The features of one platform named several times in a document: each the largest of its
    mentions (a brand quoted once with its kind word is a brand everywhere). Its bare quoted
    mentions (提升“X”经济) say nothing more once one mention has the kind word (“X”创业通平台)."""
    merged: dict[str, float] = {}
    for values in per_mention:
        for key, value in values.items():
            merged[key] = max(merged.get(key, 0.0), value)
    named = [values for values in per_mention if "flag:bare-brand" not in values]
    if named:
        for key in ("flag:bare-brand", "kind:other"):
            if not any(key in values for values in named):
                merged.pop(key, None)
    return merged


# What the words around a candidate say of it, by class of word (grammar, not names):
_MODIFIED_HEAD = re.compile(r"(?:工作|会议|现场会|大会|论坛|体系|工程|行动|计划|企业|基地|码头|园区|联盟|大赛|项目|产业)")
_MEANS_BEFORE = ("在", "通过", "依托", "利用", "借助", "基于", "依靠", "登录", "接入", "经由")
_CULTIVATE = re.compile(r"培育|引进|招引|扶持|孵化|引育|集聚|招商|鼓励")
_DISTRIBUTIVE = re.compile(r"分行业|分领域|分区域|各行业|各领域|各地|地方|有条件的|一批|多个|若干|各类|重点行业|重点领域|行业和领域")
_NAME_END = re.compile(r"(?:平台|系统|APP|中心|网|库|云|链|码|热线|门户|网站|大脑|”)$")
_HONOUR = re.compile(r"获评|荣获|评为|入选|获批|认定为|授予")
# The last verb before a candidate in its clause, by what it does to the thing: uses or runs one
# that exists (用好…平台: the government's own service), improves it (优化提升…), or builds it.
_VERB_CLASSES = (
    ("use", re.compile(r"用好|应用好|推广应用|深化应用|使用|运用|投用|投入使用|运营好|依托|利用|借助|接入|登录|发挥|上线")),
    ("improve", re.compile(r"完善|优化|升级|提升|迭代|整合|扩容|改造|拓展|丰富|深化|强化|健全")),
    ("build", re.compile(r"建设|建立|构建|搭建|打造|建成|建好|新建|筹建|组建|设立|布局|开发|部署|共建|推出")),
)
_LAST_VERB = re.compile("|".join(p.pattern for _, p in _VERB_CLASSES))


def sentence_cues(sentence: str, start: int, end: int, clause_start: int) -> frozenset[str]:
    """Cues of the words around a candidate at ``sentence[start:end]``: it modifies a noun
    that follows (…热线工作现场会, …平台体系: the thing named is the event or the system of
    platforms); a preposition of means or place governs it (在…平台新建, 依托…); it closes a
    list (A、B等…平台: the category of the items); its clause speaks of cultivating industry
    (培育…平台), of many (分行业, 一批) or of an honour won (获评…平台)."""
    found = set()
    if _MODIFIED_HEAD.match(sentence, end):
        found.add("modifies-noun")
    if sentence.endswith(_MEANS_BEFORE, 0, start):
        found.add("means-before")
    if sentence.endswith("等", 0, start):
        found.add("after-list")
    if sentence.endswith("、", 0, start) and not sentence.startswith("“", start) and not _NAME_END.search(sentence, clause_start, start - 1) \
            and sentence.find(sentence[start:start + 2], clause_start, start - 1) < 0:
        found.add("fragment")  # 内容制作、分发…平台: the second half of a coordination, not a name
        # (智慧工地、智慧物业系统: two names alike, each whole)
    if _DISTRIBUTIVE.match(sentence, start) or sentence.startswith(("行业", "产业", "领域"), start):
        found.add("category-name")  # 重点行业和领域…平台, 行业数字化服务平台
    for cue, pattern in (("cultivate", _CULTIVATE), ("distributive", _DISTRIBUTIVE), ("honour", _HONOUR)):
        if pattern.search(sentence, clause_start, start):
            found.add(cue)
    verbs = list(_LAST_VERB.finditer(sentence, clause_start, start))
    if verbs:
        last = verbs[-1].group()
        found.add("verb:" + next(name for name, pattern in _VERB_CLASSES if pattern.fullmatch(last)))
    return frozenset(found)


# Words of a digital service in use: its users, downloads, visits, cases handled, releases.
_IN_USE = re.compile(r"用户|注册|下载|访问量|浏览量|日活|月活|办件|上架|入驻|使用率|应用率|覆盖率|上线|迭代|版本|掌上|指尖|"
                     r"扫码|在线办理|网上办理|办理群众诉求|[万亿]次|[万亿]人次|[万亿]件")


@functools.lru_cache(maxsize=8192)  # asked for every candidate of a sentence
def in_use(sentence: str) -> bool:
    return bool(_IN_USE.search(sentence))


def quantity_before(text: str, start: int) -> bool:
    return bool(_QUANTITY_BEFORE.search(text, 0, start))


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    intercept: float
    threshold: float

    def probability(self, feature_values: dict[str, float]) -> float:
        weight = self.weights.get
        z = self.intercept + sum([weight(k, 0.0) * v for k, v in feature_values.items()])  # a list sums quicker
        return 1.0 / (1.0 + math.exp(-z))

    def accepts(self, feature_values: dict[str, float]) -> bool:
        return self.probability(feature_values) >= self.threshold


@functools.lru_cache(maxsize=1)
def _shipped_model() -> Model:
    try:
        data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OntologyError(f"{MODEL_FILE}: cannot read the platform scorer ({exc})",
                            fix="reinstall govkg, or refit it: python tools/fit_platform_scorer.py") from None
    return model_from_dict(data)


def model_from_dict(data: dict) -> Model:
    return Model(weights=dict(zip(data["features"], data["weights"])), intercept=float(data["intercept"]),
                 threshold=float(data["threshold"]))


_override: list[Model | None] = [None]


def current_model() -> Model:
    """The model in use: the shipped one, or one set with :func:`using` (held-out evaluation)."""
    return _override[0] or _shipped_model()


@contextmanager
def using(model: Model | None):
    """Score with ``model`` inside the block (the fitting tool scores held-out documents so)."""
    previous = _override[0]
    _override[0] = model
    try:
        yield
    finally:
        _override[0] = previous
