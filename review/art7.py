"""Art. 7 flags: the articles of a draft that a legality reviewer must check for content a
normative document may not create on its own authority.

Rules and vocabulary, no learned model: every flag names the words that raised it and says
why in one line. Flags (河北省规范性文件制定规定 Art. 7 and the fair-competition review):

- licensing: creates or conditions an administrative licence or approval;
- penalty: sets or refers to an administrative penalty;
- compulsory: an administrative compulsory measure or enforcement;
- fee: a fee, contribution, deposit or government-set charge, or its exemption;
- obligation_or_restriction: adds duties to, or reduces rights of, citizens and organisations;
- fair_competition: touches market entities (entry and exit, movement of goods, operating
  costs, business conduct).

A duty that binds only government bodies (各级人民政府应当…, 市住建局负责…) is not flagged:
each trigger looks for the actor it binds. ``basis_cited`` says whether the article itself
names a law, regulation or rule by title (《中华人民共和国行政许可法》第十二条); 依法 and
按照有关规定 are not a basis. benchmarks/prereview/RULES-flags.md is the labelling guide the
rules were measured against (benchmarks/art7.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from .articles import Article, parse_outline

FLAGS = (
    "licensing",
    "penalty",
    "compulsory",
    "fee",
    "obligation_or_restriction",
    "fair_competition",
)

# A rule is (flag, pattern, reason, actor). ``actor`` says whom the words must bind:
# NOT_GOVERNMENT, anyone but a government body (they count unless the actor found for them is
# one); ANYONE, the words say enough by themselves (取消资格, 罚款). No flag counts in a sentence about the
# liability of government bodies or staff (给予处分, 政府有关部门违反本条例).
NOT_GOVERNMENT, ANYONE = "not_government", "anyone"
Rule = tuple[str, re.Pattern, str, str]


def _rules(flag: str, actor: str, *pairs: tuple[str, str]) -> list[Rule]:
    return [(flag, re.compile(pattern), reason, actor) for pattern, reason in pairs]


RULES: list[Rule] = [
    *_rules(
        "licensing",
        NOT_GOVERNMENT,
        (r"许可证|行政许可|销售许可", N_("设定或附加行政许可条件")),
        (r"办理[^，。；]{0,6}(?:审批|核准|批准)|报审", N_("设定审批或核准")),
        (r"经[^，。；]{0,16}批准(?:后)?[^，。；]{0,2}(?:可以|方可)", N_("设定审批或核准")),
        (r"准予(?:建立|从事|经营)", N_("设定审批或核准")),
        (r"(?:取得|领取)[^，。；]{0,24}后[，,]?方可", N_("以取得证照为从事活动的前提")),
        (
            r"(?:申请|可)[^，。；]{0,10}(?:登记|办理|转办|申办)[^，。；]{0,6}常住户口|户口迁往",
            N_("设定户口迁移登记条件"),
        ),
    ),
    *_rules(
        "penalty",
        ANYONE,
        (r"(?:处|并处|处以)[^，。；]{0,30}罚款|罚款", N_("设定罚款")),
        (r"给予警告|予以警告|处警告|警告[，、和或]|和警告|或者警告", N_("设定警告")),
        (r"没收[^，。；]{0,6}(?:所得|财物)|罚没", N_("设定没收违法所得")),
        (
            r"吊销|暂扣[^，。；]{0,8}证|责令停(?:产|业|止出租|止经营)|行政拘留(?!记录)",
            N_("设定资格罚或行为罚"),
        ),
        (r"公开通报|通报批评", N_("设定通报批评")),
        (r"处罚(?!决定|法|条例)|由[^。；]{0,30}查处", N_("援引行政处罚")),
    ),
    *_rules(
        "compulsory",
        ANYONE,
        (r"强制执行|非诉执行", N_("设定或援引强制执行")),
        (r"(?<![、或])扣押|查封|冻结", N_("设定查封、扣押、冻结")),
        (r"收容|限制人身自由", N_("设定限制人身自由的强制措施")),
        (r"滞纳金|加处罚款", N_("设定滞纳金或加处罚款")),
        (r"直接划扣|强制(?:划拨|扣缴|拆除|收回|清除)", N_("设定强制划扣或代履行")),
    ),
    *_rules(
        "fee",
        ANYONE,
        (r"工本费|行政事业性收费|政府性基金|保证金|押金|维修资金", N_("设定收费或缴存资金")),
        (
            r"(?:应当?|须|必须|按时|按月|一次性|并|按照[^，。；]{0,20}|按[^，。；]{0,20})"
            r"(?:缴纳|交纳|支付|收取|计收|补缴|补交|缴存)[^，。；]{0,12}"
            r"(?:(?<!医疗)费|租金|差价|维修资金)",
            N_("设定缴费、租金或其他款项"),
        ),
        (
            r"费用?由(?:承租|申请|购房|购买|用人单位|职工|个人|家庭|出租人|产权单位|建设单位)"
            r"[^，。；]{0,12}(?:负担|承担|缴纳|支付)",
            N_("设定缴费、租金或其他款项"),
        ),
        (
            r"(?:收费|租金|缴费)的?(?:标准|基数|比例)(?:为|是|：)|差别化租金|租金水平",
            N_("设定收费标准"),
        ),
        (r"租金[^，。；]{0,20}(?:按照|按|以(?![上下内外])|低于|不得高于)", N_("设定收费标准")),
        (
            r"(?:价格|费用?)[^，。；]{0,6}按照?[^，。；]{0,8}标准(?:收取|计收|缴纳)",
            N_("设定收费标准"),
        ),
        (r"百分之[零〇一二三四五六七八九十百]+缴纳|\d+(?:\.\d+)?[%％]的比例", N_("设定缴费比例")),
        (
            r"补缴[^，。；]{0,30}价格?差|上缴[^，。；]{0,20}财政|征收差额收益|补交土地收益",
            N_("设定上缴款项"),
        ),
        (r"(?:销售|出售)价格[^，。；]{0,10}(?:以|由|不得高于)", N_("设定政府定价")),
        (
            r"(?:个人|单位|家庭)(?:缴纳|缴费|负担)\d|(?:个人|家庭)缴费为主|筹资标准(?:为|分为)"
            r"|每人每年\d+元的标准",
            N_("设定缴费标准"),
        ),
        (
            r"(?:免收|减免|核减|免征)[^，。；]{0,10}(?:费|租金|基金)|(?:租金|收费)(?:减免|核减)"
            r"|(?:登记|办理|申领|申请)[^，。；]{0,4}免费|个人不缴费",
            N_("减免收费"),
        ),
    ),
    *_rules(
        "obligation_or_restriction",
        NOT_GOVERNMENT,
        (
            r"应当|必须|(?<![相对供适响反])应(?![当届用急征聘收对补]|包括|计入|纳入|作为)"
            r"|(?<!必)须(?!知)|(?<!所)需(?![要求])",
            N_("设定义务"),
        ),
        (r"不得|禁止|严禁|只能|只限|限于|(?<![受])限在|限向|不能", N_("设定禁止或限制")),
        (r"有义务|负责人是|是[^，。；]{0,10}责任人", N_("设定义务")),
        (
            r"(?:之日|通知|申请后)起?[^，。；]{0,4}\d+(?:个工作)?日内|\d+日内",
            N_("设定办理期限"),
        ),
        (
            r"委托[^，。；]{0,4}单位|(?<![支坚保维])持(?![证有续])[^。；]{0,60}?(?:提出申请|申报|办理)",
            N_("设定办理程序"),
        ),
    ),
    *_rules(
        "obligation_or_restriction",
        NOT_GOVERNMENT,
        (r"(?:按照?|按时|按月)[^，。；]{0,20}(?:缴纳|交纳|缴存)", N_("设定缴费义务")),
    ),
    *_rules(
        "obligation_or_restriction",
        ANYONE,
        (
            r"符合(?:下列|以下)(?:条件|情形)|同时符合|(?:条件|情形)之一|收入限制"
            r"|积分达到|达到标准分值|标准分值为|等待期",
            N_("设定享受权利或待遇的条件"),
        ),
        (
            r"取消(?!申请积分)[^，。；]{0,8}资格|取消申请积分资格|取消其?登记"
            r"|撤销[^，。；]{0,6}(?:证明|登记)|注销(?!登记|手续|或者变更|等)|注销手续|收回|追回"
            r"|收缴[^，。；]{0,3}(?:《|证|其)|停止(?:发放|享受|计入)|停发|中止|自动失效|视为(?:自动)?放弃|视同放弃"
            r"|年内不(?:得|接受)|不良信用|信用档案|扣减|不予(?:受理|退还|办理|支付|补发)"
            r"|不作为[^，。；]{0,6}依据|不纳入[^，。；]{0,12}支付范围|不(?:能|再)享受|不享受"
            r"|回购(?!管理)|(?<![不、])退出(?![及和、])|腾退(?!的)|解除[^，。；]{0,10}合同"
            r"|到期终止|合同终止|后方可|责令[^，。；]{0,6}(?:改正|退还|整改|收回|限期)"
            r"|不(?:得)?超过(?!\d+个工作日)|最长为?|不低于|不高于"
            r"|由(?:承租|申请|购房|购买|出租人|申购人)[^，。；]{0,12}(?:负担|承担|支付)"
            r"|实行[^，。；]{0,10}(?:登记|准入)[^，。；]{0,6}制度",
            N_("减损权利或设定不利后果"),
        ),
    ),
    *_rules(
        "fair_competition",
        ANYONE,
        (
            r"指定的?[^，。；、]{0,16}(?:负责|作为|实施开发|承担)|资质|良好社会信誉|实行定点"
            r"|准予建立[^，。；]{0,10}关系|特许经营",
            N_("影响市场准入和退出"),
        ),
        (
            r"限定[^。；]{0,20}(?:经营|购买|使用|承担|提供)|指定交易|指定的?(?:经营者|商品|服务)"
            r"|地方保护|排斥外地|限制外地|本地(?:企业|商品|产品)[^。；]{0,10}(?:优先|专营)"
            r"|外地(?:企业|商品|产品|经营者)[^。；]{0,20}(?:不得|禁止|限制|须|应当|额外)",
            N_("妨碍商品和要素自由流动"),
        ),
        (
            r"(?:建设|投资|运营|开发)[^。；]{0,20}(?:享受|给予)[^。；]{0,6}优惠政策",
            N_("影响生产经营成本"),
        ),
        (
            r"结算价格|保本微利|政府指导价|限房价|(?:最高|平均)销售价格|收购价格|销售价格通知"
            r"|出售给|拒绝向其出售|规定的销售价格",
            N_("影响生产经营行为"),
        ),
    ),
]

# How each flag is named on the page (translate with gettext when shown).
FLAG_LABELS = {
    "licensing": N_("涉及行政许可"),
    "penalty": N_("涉及行政处罚"),
    "compulsory": N_("涉及行政强制"),
    "fee": N_("涉及收费"),
    "obligation_or_restriction": N_("增加义务或减损权利"),
    "fair_competition": N_("涉及公平竞争审查"),
}

# An actor after one of these is the object, not the subject (向区房管局申请, 经市政府批准).
OBJECT_MARKERS = "向到对给为与经报从"
HEAD = rf"[^，。；、\s（(）){OBJECT_MARKERS}由在和及或]"
# Who a duty binds. Chinese puts the head noun last, so where a government and a private
# actor overlap (定点医疗机构, 居民委员会, 经租管理机构) the one ending later wins, and of two
# ending together the longer.
GOVERNMENT_ACTOR = re.compile(
    rf"{HEAD}{{0,8}}(?:人民政府|政府|部门|局|委员会|办公室|办事处|机关|派出所|中心|住保办|医保办"
    r"|经办机构|保障机构|受理机构|登记机构|管理机构|专门机构|援助机构|受理单位|工作人员|领导小组"
    r"|警备区|登记站|建委|[市区]\S{1,6}委)|街道|乡镇|区县|区（县）"
)
PRIVATE_ACTOR = re.compile(
    r"任何(?:部门、)?单位(?:和|或者?)个人|单位(?:和|或者?)个人|个人或者?单位|共同申请人|[主单身]*申请人"
    r"|申请家庭|申请户|申购人|单身人士|家庭成员|承租家庭|购房人|购买人|[房屋]*出租人|承租人|持证人"
    r"|业主|权利人|同住人|在职职工|职工|退休人员|参保人员|流动人口|暂住人员|来沪人员|当事人|个人"
    rf"|公民|{HEAD}{{0,4}}单位|{HEAD}{{0,6}}企业|个体工商户|个体业主|中介机构|医疗机构"
    r"|零售药店|金融机构|经租管理机构|公共服务机构|服务组织|其他组织|社会团体|新闻媒体"
    r"|居(?:\(村\)|（村）)?民委员会|村民委员会|居委会|学校|毕业生|子女|父母|家庭|投资者|经营者|持有人|人员|户口(?!所在|登记|簿)"
)
CITIZEN_ACTS = re.compile(r"(?:凡|需要)?(?:申请|申领|申办|申购|购买|承租|租赁|出租|转让|经营|从事)")
# A sentence on the liability of government bodies or their staff.
STAFF = re.compile(
    r"工作人员|处分|领导小组|^[^，。；]{0,30}(?:部门|机关|经办机构)[^，。；]{0,12}违反"
)
# Duties that only restate the law add nothing (不得侵害合法权益, 不得非法收缴).
RESTATES_LAW = re.compile(
    r"不得(?:违法|非法|侵害)|应当依法|遵守[^，。；]{0,6}(?:法律|法规|社会公德)|依法(?:维护|保护)"
)
# Money that moves between government bodies and funds is no fee on anyone.
INTERNAL_MONEY = re.compile(r"经费|财政专户|预算|安排用于|免征税费|不计征税")
# What a government body does after 应当 (出具, 告知, 审核…): its own procedure.
GOVERNMENT_VERBS = re.compile(
    r"(?:在[^，。；]{0,12}内)?(?:出具|告知|审核|审查|核定|核查|核实|公示|公布|受理|组织|指导|监督|制定"
    r"|拟定|编制|通知|移送|报送|作出|发给|发放|加强|建立|设立|按照职责|根据各自职责|保障|予以保密"
    r"|为[^，。；]{0,12}提供|及时处理|提出|完成|进行|当场告知|接受)"
)
SENTENCE = re.compile(r"[^。；;\n]+")
SENTENCE_ENDS = "。；;：:！!？?”"
ITEM_START = re.compile(
    r"[ \t\u3000]*(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、|第)"
)
CLAUSE_BREAK = re.compile(r"[，,：:]")
# The article's label and its bracketed heading, 第九条（禁止同时申请…）, are not its text.
HEADING = re.compile(r"[ \t\u3000\n]*(?:[（(][^）)\n]{1,20}[）)])?")
MODAL = re.compile(r"应当|必须|不得|禁止|[应须需要]")
TITLE = re.compile(r"《((?:[^《》〈〉]|〈[^〈〉]*〉)+)》")
LAW_TITLE = re.compile(r"(?:法|条例|规定|办法|细则|规则|决定|解释)(?:（(?:试行|暂行|修订)）)?$")
REPEALS = re.compile(r"废止")


@dataclass(frozen=True)
class Trigger:
    """Words of the article that raised a flag; offsets are into ``ArticleFlags.text``."""

    flag: str
    words: str
    start: int
    end: int
    reason: str


@dataclass
class ArticleFlags:
    article: str
    flags: list[str]
    basis_cited: bool
    why: list[str]
    triggers: list[Trigger] = field(default_factory=list)
    text: str = ""
    laws: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "article": self.article,
            "flags": list(self.flags),
            "basis_cited": self.basis_cited,
            "why": "\n".join(self.why),
        }


def flag_articles(text: str) -> list[ArticleFlags]:
    """Every article of the draft (or section, where it has no 第X条), flagged or not."""
    return [flag_article(article) for article in parse_outline(text)]


def flag_article(article: Article) -> ArticleFlags:
    text = article.text
    body = article.body_start - article.start
    heading = HEADING.match(text, body)
    body = heading.end() if body and heading else 0
    flat, where = _flatten(" " * body + text[body:])
    laws = cited_laws(flat)
    # Titles are blanked out so that 《…处罚法》 or 《户口登记条例》 trigger nothing.
    masked = TITLE.sub(lambda m: "《" + "＿" * (len(m.group(0)) - 2) + "》", flat)
    sentences = list(SENTENCE.finditer(masked))
    # The items of an article on the liability of staff (有下列行为之一的…给予处分：（一）…) are too.
    staff = bool(sentences) and bool(STAFF.search(sentences[0].group(0).strip()))
    triggers = [
        Trigger(t.flag, text[where[t.start] : where[t.end - 1] + 1], *_span(where, t), t.reason)
        for sentence in sentences
        if not (staff and ITEM_START.match(sentence.group(0)))
        for t in _sentence_triggers(masked, sentence.start(), sentence.end())
    ]
    flags = [flag for flag in FLAGS if any(t.flag == flag for t in triggers)]
    why = [_why([t for t in triggers if t.flag == flag], laws) for flag in flags]
    return ArticleFlags(article.label, flags, bool(laws), why, triggers, text, laws)


def _span(where: list[int], trigger: Trigger) -> tuple[int, int]:
    return where[trigger.start], where[trigger.end - 1] + 1


def _flatten(text: str) -> tuple[str, list[int]]:
    """The text without the line breaks that fall inside a sentence (drafts pasted from PDF
    break lines mid-word: 《廉\n租住房保障办法》), and each kept character's offset in it."""
    kept = [
        i
        for i, char in enumerate(text)
        if char != "\n" or (i > 0 and text[i - 1] in SENTENCE_ENDS) or _opens_item(text, i + 1)
    ]
    return "".join(text[i] for i in kept), kept + [len(text)]


def _opens_item(text: str, at: int) -> bool:
    return bool(ITEM_START.match(text, at))


def cited_laws(text: str) -> list[str]:
    """Laws, regulations and rules the article names by title, not those it repeals."""
    laws = []
    for sentence in SENTENCE.finditer(text):
        if REPEALS.search(sentence.group(0)):
            continue
        for match in TITLE.finditer(sentence.group(0)):
            title = match.group(1).strip()
            if LAW_TITLE.search(title) and not title.startswith("本") and title not in laws:
                laws.append(title)
    return laws


def _sentence_triggers(text: str, start: int, end: int) -> list[Trigger]:
    sentence = text[start:end]
    if STAFF.search(sentence.strip()):
        return []
    triggers = []
    internal_money = bool(INTERNAL_MONEY.search(sentence))
    for flag, pattern, reason, actor in RULES:
        if flag == "fee" and internal_money:
            continue
        for match in pattern.finditer(sentence):
            at = start + match.start()
            if actor == NOT_GOVERNMENT and not _binds_private(text, start, at):
                continue
            if flag == "obligation_or_restriction" and RESTATES_LAW.search(
                sentence, match.start(), min(len(sentence), match.end() + 12)
            ):
                continue
            triggers.append(Trigger(flag, match.group(0), at, start + match.end(), reason))
    return triggers


Actor = tuple[int, int, bool, bool]  # start, end, private, a modifier (流动人口的…)


def _binds_private(text: str, start: int, at: int) -> bool:
    """Whether the words at ``at`` bind a citizen or organisation rather than a government
    body: the actor named just before them in their clause, failing that the topic of the
    nearest clause before that has one, failing that of the sentence before. No actor found:
    yes (a duty stated impersonally, 经济适用住房的建筑设计必须…, binds whoever builds)."""
    actors = _actors(text, start, at)
    clause_starts = [start] + [m.end() for m in CLAUSE_BREAK.finditer(text, start, at)]
    in_clause = [a for a in actors if a[0] >= clause_starts[-1] and not a[3]]
    if in_clause:
        return in_clause[-1][2]
    after = MODAL.match(text, at)
    if GOVERNMENT_VERBS.match(text, after.end() if after else at):
        return False
    for clause_start, clause_end in reversed(list(itertools.pairwise(clause_starts))):
        topic = _topic(text, clause_start, clause_end - 1, actors)
        if topic is not None:
            return topic
    line_start = text.rfind("\n", 0, start) + 1
    before = max([line_start] + [text.rfind(c, line_start, start - 1) + 1 for c in "。；;"])
    if before < start:
        topic = _topic(text, before, start - 1, _actors(text, before, start))
        if topic is not None:
            return topic
    return True


def _topic(text: str, start: int, end: int, actors: list[Actor]) -> bool | None:
    """Whether the clause text[start:end] is about a private actor (it opens with one, or
    with a citizen's act: 申请…, 购买…; or it is a list of actors, 工会、…以及其他组织), a
    government one, or neither (None)."""
    while start < end and text[start] in " \t\u3000":
        start += 1
    if CITIZEN_ACTS.match(text, start):
        return True
    for actor_start, actor_end, private, _modifier in actors:
        if start <= actor_start <= start + 2 or actor_end == end:
            return private
    return None


def _actors(text: str, start: int, end: int) -> list[Actor]:
    """Actors in text[start:end], overlaps resolved by head noun; those after 向/经/对… are
    objects and left out."""
    found = [(m.start(), m.end(), False) for m in GOVERNMENT_ACTOR.finditer(text, start, end)]
    found += [(m.start(), m.end(), True) for m in PRIVATE_ACTOR.finditer(text, start, end)]
    found.sort(key=lambda a: (a[1], a[1] - a[0]))
    kept: list[tuple[int, int, bool]] = []
    for actor in found:
        while kept and kept[-1][1] > actor[0]:
            kept.pop()
        kept.append(actor)
    return [
        (s, e, private, text[e : e + 1] == "的")
        for s, e, private in kept
        if s == 0 or text[s - 1] not in OBJECT_MARKERS
    ]


def _why(triggers: list[Trigger], laws: list[str]) -> str:
    words = list(dict.fromkeys(t.words for t in triggers))
    quoted = "”“".join(words[:3])
    line = _("%(reason)s（“%(words)s”）") % {"reason": _(triggers[0].reason), "words": quoted}
    if laws:
        return line + _("，引用了%(laws)s") % {"laws": "、".join(f"《{law}》" for law in laws)}
    return line + _("，未引用上位法具体条款")
