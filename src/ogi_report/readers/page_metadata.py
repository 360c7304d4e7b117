"""The year and the agency of a published page whose title does not give them.

A copied page often loses its title (the first lines, or the `<title>`), and the tables never depend
on it. The year and the agency are then looked for, in this order, in what the page says of itself:

- a title printed the other way round or over two lines (`2022年××局政府信息公开工作年度报告`,
  `××镇人民政府` above `2022年政府信息公开工作年度报告`);
- the text naming the report (`现将2023年……`, `现公布我局2022年政府信息公开工作年度报告`, its title
  quoted, `《××局2023年政府信息公开工作年度报告》`, or named in full after the words announcing it
  (`现向社会公布××局2025年信息公开工作年度报告`),
  `2023年度`, `自2023年1月1日起至2023年12月31日止`), or the agency (`由××厅编制`,
  `为做好××局政府信息公开工作`, an overview that opens `2023年，××街道办事处认真……`);
- the `<meta name="ContentSource">` of an HTML page;
- for the year only, the publication date (a report is published in the year after the one it
  covers).

What is found is returned with how it was found (a reading note: `ogi_report.notes`); what is not found stays
None, and the caller records it as METADATA-MISSING rather than refusing the page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ogi_report.layout.labels import simplified_characters
from ogi_report.model.metadata import UNNAMED_AGENCY as UNNAMED_AGENCY  # its home; kept importable here
from ogi_report.notes import ReadingNote, note

_PINYIN = re.compile(r"\((?:\s*[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]+)+\s*\)")
_YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
_REPORT = r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|情况|年报)"
# How a report's own title names it, in the wordings agencies use (`政府信息公开工作年度报告`,
# `政府信息公开年度工作报告`, `政务信息公开工作开展年度报告`, `政府信息公开工作的年度报告`, `信息公开年报`):
# simplified characters.
TITLE_WORDS = (
    r"(?:政府信息公开|政务信息公开|政务公开|信息公开)(?:工作)?(?:开展)?的?(?:年度)?(?:工作)?(?:报告|年报)"
)
_AGENCY_SUFFIX = (
    r"(?:人民政府|街道办事处|办事处|街道办|街道|管理委员会|委员会|办公室|办公厅|政府|委|局|厅|室|署"
    r"|中心|镇|乡|院|馆|站|所|队|处|会|园区)"
)
_AGENCY_CHARS = r"[\u4e00-\u9fff\u3400-\u4dbf]"
# How the name of an agency to contact ends: an agency's, never an office's (an office may be another's).
_CONTACT_SUFFIX = r"(?:人民政府|政府|街道办事处|办事处|管理委员会|委员会|局|厅|委|署|中心|镇|乡|街道)"
# Words that open what an agency does, after its name opens an overview (Traditional forms too).
_DOES = (
    "认真", "認真", "积极", "積極", "坚持", "堅持", "不断", "不斷", "严格", "嚴格", "按照", "根据", "根據",
    "始终", "始終", "深入", "持续", "持續", "全面", "高度", "进一步", "進一步", "紧紧", "緊緊", "紧扣",
    "围绕", "圍繞", "扎实", "紮實", "切实", "切實", "聚焦", "通过", "通過", "主动", "主動", "全力", "着力",
    "著力", "继续", "繼續", "加强", "加強", "大力", "依法", "贯彻", "貫徹", "落实", "落實", "充分", "共",
    "以", "在", "把", "将", "將", "对", "對", "立足", "紧密", "坚决", "堅決",
)  # fmt: skip
_NOT_AGENCY = re.compile(r"^(?:我|本|全|各|该|此|今|年|度|及|和|与|并|(?:19|20)[0-9]{2})")
# Words of the work or the report itself, never inside an agency's name (`政务公开工作总结和政府`).
_NOT_IN_AGENCY = re.compile(r"公开工作|信息公开|总结|报告")
# Words that announce the report and stand before the agency's name in a title or a sentence
# (`现将××镇2022年……报告`, `现向社会公布龙口镇……`), Traditional forms too (`現將`).
_ANNOUNCE = r"[现現]?向社[会會]公布|[现現]予公布|[现現][将將]|[现現]公布|[现現]公[开開]|特此公布|予以公布"
LEAD_WORDS = re.compile(
    rf"^(?:特|特此)?(?:{_ANNOUNCE}|[现現]就|公布"
    r"|[发發]布|[编編][制製]|[制製]作|本[报報]告[为為是]|[关關]于|[关關]於)"
)
# The same words announcing the report, within a sentence.
_ANNOUNCING = rf"(?:{_ANNOUNCE})"
# The words saying who made the report, after its maker's name (`市科委编制了`).
_MADE = r"(?:负责)?(?:编制|编写|撰写|制作|形成)(?:完成)?了?"
_MADE_AT_END = re.compile(rf"{_MADE}$")
# A government's own party-and-government or general office (`两城镇人民政府党政办公室`), which writes the
# government's report and publishes none of its own; its government is the agency.
_PARTY_OFFICE = re.compile(r"(?<=政府)(?:党政|综合)(?:办公室|办)$")
# The author named by the words around its name (`由××局编制的2020年度……报告`), Traditional forms too.
_AUTHORED = re.compile(r"由\s*(?P<agency>.+?)\s*(?:负责|負責)?(?:编制|編制|编写|編寫|制作|製作)的?")


def unwrap_author(candidate: str) -> str:
    """The agency's name alone where the words naming it the report's author surround it
    (`由鞍山市××局编制的` -> `鞍山市××局`); else the candidate as it is."""
    authored = _AUTHORED.fullmatch(simplified_characters(candidate))
    return candidate[authored.start("agency") : authored.end("agency")] if authored else candidate


# A channel, not an agency (`通过政府网站……`), and how far after a name it is looked for.
_CHANNEL_AFTER = 8
_CHANNEL = re.compile(r"网站|網站|平台|平臺|渠道|新媒体|新媒體|公众号|公眾號|微信|微博")

# An overview that opens with the year and the agency doing something (`2023年，××街道办事处认真……`,
# `2020年七里坪镇严格按照……`): it names both.
_OVERVIEW = re.compile(
    rf"(?:^|[。；;])\s*{_YEAR}\s*年(?:度|以来)?\s*[,，、]?\s*(?:在[^,，。；;]{{1,40}}[,，]\s*)?"
    rf"(?P<agency>{_AGENCY_CHARS}{{1,40}}?{_AGENCY_SUFFIX})(?={'|'.join(_DOES)})"
)
# Year: the report named in the text, then the period it covers, then an overview's first words.
_YEAR_PATTERNS = (
    re.compile(rf"{_YEAR}\s*年度?\s*[^\s,，。；;：:、《》]{{0,40}}?{_REPORT}"),
    re.compile(
        rf"(?:现将|现就|现予|现公布|现向社会公布|特公布|公布|汇报){_AGENCY_CHARS}{{0,6}}?{_YEAR}\s*年"
    ),
    re.compile(
        rf"{_YEAR}\s*年\s*1\s*月\s*1\s*日(?:起)?\s*(?:至|到|-|—|~)\s*(?:(?P=year)\s*年\s*)?12\s*月\s*31\s*日"
    ),
    re.compile(rf"(?:截止|截至)(?:到)?\s*{_YEAR}\s*年\s*12\s*月\s*31\s*日"),
    re.compile(rf"(?:^|[。；;])\s*{_YEAR}\s*年(?:度|以来)?\s*[,，、]"),
    # A sentence of the year's totals (`2022年共收到8项依申请公开`).
    re.compile(rf"(?:^|[。；;])\s*{_YEAR}\s*年度?\s*(?:全年)?(?:共|累计|累計)"),
    re.compile(rf"{_YEAR}\s*年度?\s*(?:政府信息公开|政务公开)"),
    re.compile(rf"{_YEAR}\s*年度"),
    # Last: a clause of what the agency did that year, naming itself (`2022年我局严格按照……`,
    # `……，2022年，我局在××网站主动公开信息416条`); never its plans (`2023年我局将……`).
    re.compile(
        rf"(?:^|[。；;，,])\s*{_YEAR}\s*年\s*[,，]?\s*[我本](?:局|镇|乡|街道|单位|委|办|中心)(?![^。；;，,]{{0,3}}将)"
    ),
    # Or naming itself by its name, as an agency is found (`2020年七里坪镇严格按照……`); never its plans.
    re.compile(_OVERVIEW.pattern + "(?!将|將)"),
)
# Agency: a title the other way round, then the text's naming of itself.
_AGENCY_PATTERNS = (
    re.compile(rf"{_YEAR}\s*年度?\s*(?P<agency>{_AGENCY_CHARS}{{1,40}}?{_AGENCY_SUFFIX}){TITLE_WORDS}"),
    # The report's own title quoted in the text (`编制完成《××局2023年政府信息公开工作年度报告》`).
    re.compile(
        rf"《\s*(?P<agency>{_AGENCY_CHARS}{{1,40}}?{_AGENCY_SUFFIX})\s*{_YEAR}\s*年度?\s*{TITLE_WORDS}\s*》"
    ),
    # The report named in full by the words announcing it, in a sentence (`现向社会公布開平市水利局2025年
    # 信息公开工作年度报告`): the name stands between those words and the year.
    re.compile(
        rf"{_ANNOUNCING}\s*(?P<agency>{_AGENCY_CHARS}{{2,40}}?{_AGENCY_SUFFIX})\s*{_YEAR}\s*年度?\s*{TITLE_WORDS}"
    ),
    # A title without its year, on a line of its own (`湘桥区教育局政府信息公开工作年度报告`).
    re.compile(rf"^\s*(?P<agency>{_AGENCY_CHARS}{{1,40}}?{_AGENCY_SUFFIX})\s*{TITLE_WORDS}\s*$"),
    re.compile(rf"由\s*(?P<agency>{_AGENCY_CHARS}{{2,40}}?)\s*(?:负责)?编制"),
    # A clause whose subject made the report (`……的要求，市科委编制了2024年度政务公开工作报告`).
    re.compile(
        rf"(?:^|[,，。；;])\s*(?P<agency>{_AGENCY_CHARS}{{2,40}}?{_AGENCY_SUFFIX})\s*{_MADE}\s*{_YEAR}\s*年"
    ),
    re.compile(rf"(?:做好|落实|推进)(?P<agency>{_AGENCY_CHARS}{{2,40}}?{_AGENCY_SUFFIX})(?:的)?政府信息公开"),
    _OVERVIEW,
    # Last: the agency to contact about the report, or whose own office to contact
    # (`请与赤岸镇人民政府办公室联系`); an office alone (`请与县政务公开办公室联系`) may be another's.
    re.compile(
        rf"[请請][与與]\s*(?P<agency>{_AGENCY_CHARS}{{2,40}}?{_CONTACT_SUFFIX})\s*"
        r"(?:(?:党政|黨政|综合|綜合)*[办辦](?:公室)?)?\s*[联聯][系繫]"
    ),
)
_META_AGENCY = ("contentsource", "source")
_PUBLISHED = re.compile(
    r"(?:发布|公开|成文|印发)(?:日期|时间)\s*[:：]?\s*(?P<y>(?:19|20)[0-9]{2})\s*[-年/.]\s*[0-9]{1,2}"
)
_TEXT_LINES = 400  # lines searched: the metadata is near the top, the tables follow


@dataclass(frozen=True)
class Found:
    """A year or an agency the page states, and how it was found (for the reading notes)."""

    value: str | int
    how: ReadingNote


def stand_in_year(layout: object) -> int:
    """The year recorded for a page that states none (with METADATA-MISSING): the first year of its
    layout, so the layout and the year agree."""
    return 2019 if layout == "2019-trial" else 2021


def plain_text(text: str) -> str:
    """NFKC, pinyin glosses dropped, white space folded: Traditional characters kept."""
    text = unicodedata.normalize("NFKC", text)
    if "(" in text:
        text = _PINYIN.sub("", text)
    return " ".join(text.split())


def _quote(text: str, start: int, end: int) -> str:
    return text[max(0, start - 4) : end + 4].strip()


def find_year(texts: Iterable[str], published: str | None = None) -> Found | None:
    """The reporting year the text states; else the year before the publication date."""
    lines = [plain_text(t) for t in list(texts)[:_TEXT_LINES]]
    for pattern in _YEAR_PATTERNS:
        for line in lines:
            match = pattern.search(simplified_characters(line))
            if match is not None:
                year = int(match["year"])
                quoted = _quote(line, *match.span())
                return Found(year, note("YEAR-FROM-TEXT", written=quoted, became=str(year)))
    if published is not None and (match := _PUBLISHED.search(published)):
        year = int(match["y"]) - 1
        return Found(year, note("YEAR-FROM-PUBLISHED", written=published.strip(), became=str(year)))
    return None


# What an agency's name never starts with in a title: words of what it does (`认真撰写2021年度……报告`).
_DOING = tuple(word for word in _DOES if len(word) > 1)


def title_agency(candidate: str) -> str | None:
    """The agency a title names (the words announcing the report already taken off), or None where
    the words before the year are no name: what the agency does (`认真撰写`), or `我局`, `本单位`."""
    candidate = unwrap_author(candidate.strip())
    if not candidate or candidate.startswith(("我", "本")):
        return None
    if _MADE_AT_END.search(simplified_characters(candidate)):
        return None  # a sentence (`市科委编制了2024年度……报告`), not a title: its maker is found apart
    return None if simplified_characters(candidate).startswith(_DOING) else candidate


def _agency_name(candidate: str) -> str | None:
    """The candidate less the words announcing the report, or None where it is no agency's name:
    a doubt leaves the agency unnamed (METADATA-MISSING) rather than naming the wrong one."""
    candidate = candidate.strip()
    lead = LEAD_WORDS.match(simplified_characters(candidate))
    if lead is not None:
        candidate = candidate[lead.end() :]
    candidate = unwrap_author(candidate)
    if office := _PARTY_OFFICE.search(simplified_characters(candidate)):
        candidate = candidate[: office.start()]  # the government whose office wrote it
    plain = simplified_characters(candidate)
    if (
        len(candidate) < 2
        or _NOT_AGENCY.match(plain)
        or _NOT_IN_AGENCY.search(plain)
        or _CHANNEL.search(plain)
        or plain.startswith(_DOES)
    ):
        return None
    return candidate


def find_agency(texts: Iterable[str], meta: Mapping[str, str] | None = None) -> Found | None:
    """The agency as the text names itself (as written, Traditional characters kept)."""
    lines = [plain_text(t) for t in list(texts)[:_TEXT_LINES]]
    for pattern in _AGENCY_PATTERNS:
        for line in lines:
            for match in pattern.finditer(simplified_characters(line)):
                agency = _agency_name(line[match.start("agency") : match.end("agency")])
                if agency is not None:
                    quoted = _quote(line, *match.span())
                    return Found(agency, note("AGENCY-FROM-TEXT", written=quoted, became=agency))
    for key in _META_AGENCY:
        value = plain_text((meta or {}).get(key, ""))
        if 2 <= len(value) <= 40 and re.fullmatch(f"{_AGENCY_CHARS}+", value):
            return Found(value, note("AGENCY-FROM-META", became=value, key=key))
    return None


# A township, town, county, city or district is a place, not an agency: the report is its people's
# government's (对坊乡 -> 对坊乡人民政府), when the page itself names that government.
_PLACE = re.compile(r"(?:乡|鄉|镇|鎮|县|縣|市|区|區|旗)$")
# A name that starts with its level alone (`市人民政府办公室`, `县卫生健康局`): the place is left out.
_UNPLACED = re.compile(r"^(?:省|市|县|縣|区|區|州|旗|镇|鎮|乡|鄉)")
_PLACE_NAME = re.compile(r"[\u4e00-\u9fff]{2,6}")  # the place's own name before its level
_NO_PLACE = "全各本我该該"  # words before a level that make it no place (`全市`, `本县`)
_GOVERNMENT = "人民政府"


def government_of(name: str, texts: Iterable[str]) -> Found | None:
    """The people's government of the place `name`, as the text writes it, if `name` is a place
    and the text names `<name>人民政府`; else None (the name stays as read)."""
    wanted = simplified_characters(name) + _GOVERNMENT
    if not _PLACE.search(wanted[: -len(_GOVERNMENT)]):
        return None
    for text in list(texts)[:_TEXT_LINES]:
        line = plain_text(text)
        for match in re.finditer(re.escape(wanted), simplified_characters(line)):
            at, end = match.span()
            # Not a channel named after it (“遂溪县北坡镇人民政府”微信公众号): that names no author.
            if not _CHANNEL.search(line[end : end + _CHANNEL_AFTER]):
                return Found(
                    line[at:end], note("AGENCY-GOVERNMENT", place=name, written=_quote(line, at, end))
                )
    return None


def placed_name(name: str, texts: Iterable[str]) -> Found | None:
    """The agency with its place, where the name read starts with its level alone (a title's
    `市人民政府办公室`) and the text names the report in full (`现公开天门市人民政府办公室2025年政府
    信息公开工作年度报告`): the words before the name in that clause, less the words announcing the
    report, are the place's name."""
    simple_name = simplified_characters(name)
    if not _UNPLACED.match(simple_name):
        return None
    titled = re.compile(rf"{re.escape(simple_name)}(?=\s*{_YEAR}\s*年度?\s*{TITLE_WORDS})")
    for text in list(texts)[:_TEXT_LINES]:
        line = plain_text(text)
        simple = simplified_characters(line)
        for match in titled.finditer(simple):
            clause = re.split(r"[^\u4e00-\u9fff]", simple[: match.start()])[-1]
            lead = LEAD_WORDS.match(clause)
            place = clause[lead.end() :] if lead else clause
            if _PLACE_NAME.fullmatch(place) and not place.startswith(_DOES) and place[-1] not in _NO_PLACE:
                at = match.start() - len(place)
                written = line[at : match.end()]
                return Found(written, note("AGENCY-PLACED", name=name, written=_quote(line, at, match.end())))
    return None
