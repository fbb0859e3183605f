"""Where a name ends on its left: the verbs of building and using, prepositions and
quantities before a platform's or a department's name (建设…平台, 依托…系统, 由…牵头). Grammar of
the language, not names of things; the platform and department extractors share them."""
from __future__ import annotations

import re

# Words that end a name on its left: verbs of building and using, prepositions,
# quantities. Grammar of the language, not names of things.
LEFT_BOUNDARIES = (
    "建设", "建立", "构建", "搭建", "打造", "完善", "升级", "重构", "优化", "依托", "推进", "推动", "加快", "加强",
    "拓展", "提升", "整合", "对接", "接入", "融合", "推广应用", "创新应用", "深化应用", "融合应用", "推广", "实现",
    "通过", "利用", "基于", "围绕", "发挥", "用好", "统筹", "深化", "探索", "开展", "形成", "强化", "扩展", "上线",
    "开发", "部署", "迁移", "集成", "联通", "打通", "汇聚", "归集", "依据", "按照", "结合", "参照", "启动",
    "纳入", "运用", "应用好", "建成", "建好", "丰富", "规范", "改造", "扩容", "覆盖", "贯通", "连通",
    "延伸", "复用", "使用", "提高", "加大", "推行", "落实", "做好", "做强", "做优", "谋划", "布局", "设立", "组建", "成立",
    "全面", "持续", "积极", "逐步", "进一步", "重点支持", "重点发展", "支持", "聚焦", "加速", "迭代", "健全", "筹建", "深入", "有序", "大力", "着力",
    "继续", "推出", "调整", "完成", "关于", "新建", "改建", "上线运行", "投用", "投入运行", "投入使用", "入选", "放大",
    "提档升级", "运营好", "优化提升", "集成提升", "搭建用好", "入驻", "登录", "注册", "组网运行", "编制", "共建", "不得", "禁止", "本辖区", "辖区内", "本地区", "本级", "依法", "充分", "全力", "加紧", "率先", "首个", "多个", "一批", "一系列",
    "省内", "及其", "以及", "并与", "并", "将", "把", "在", "为", "以", "向", "从", "由", "对", "等", "的", "是", "有", "到", "至", "让", "使", "可", "要",
)
# Two-character words that contain a one-character boundary but are content words (在线, 协同 …).
CONTENT_WORDS = ("在线", "协同", "有害", "要害", "共同", "同步", "等级", "有声", "有效", "可视", "可信", "要素", "对象", "对外", "以上",
                 "为民", "为企", "并联", "及时", "将来", "的士", "从业", "由来", "向导", "到期", "至上", "使用", "不可")
# Nouns made of two verbs: the second is no boundary in them (…生态保护利用综合平台).
VERB_COMPOUNDS = ("保护利用", "开发利用", "综合利用", "循环利用", "高效利用", "节约利用", "安全利用")
LEFT_BOUNDARY = re.compile("|".join(sorted(map(re.escape, LEFT_BOUNDARIES), key=len, reverse=True)))
CONJUNCTIONS = ("及", "和", "与", "或", "and")  # inside names unless a name ends right before them

# Adverbs and quantifiers among the boundaries: not verbs acting on the name.
ADVERBS = {"全面", "持续", "积极", "逐步", "进一步", "深入", "有序", "大力", "着力", "继续", "充分", "全力",
           "加紧", "率先", "依法", "首个", "多个", "一批", "一系列"}
VERB_PATTERN = re.compile("|".join(sorted((re.escape(w) for w in LEFT_BOUNDARIES if len(w) >= 2 and w not in ADVERBS),
                                   key=len, reverse=True)))
