"""Dates, ranges, durations and recurrences: a table of written examples, then the doc date,
resolution, ``parse_date_span``, offsets on the shared gold texts, and a property test.

Every example sentence here is written for this file. An expectation lists every item the
text must give, in order, as ``(surface, kind, value)`` or ``(surface, kind, value, extras)``
where ``extras`` are further fields that must match (mod, approx, calendar …).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicnlp.extractors.dates import extract_dates, find_doc_date, parse_date_span, resolve_value

R = "range"
DUR = "duration"
REC = "recurring"
D = "date"


def rng(a: str, b: str) -> dict[str, str]:
    return {"start": a, "end": b}


# (id, text, expected items)
POINTS: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    ("full", "会议于2019年5月8日在三楼召开。", [("2019年5月8日", D, "2019-05-08")]),
    ("cn-digits", "本办法自二〇二〇年十月一日起施行。", [("二〇二〇年十月一日", D, "2020-10-01")]),
    ("cn-zero", "二零一九年六月", [("二零一九年六月", D, "2019-06")]),
    ("cn-mixed-fullwidth", "二００一年，全镇", [("二００一年", D, "2001")]),
    ("fullwidth", "定于２０２２年３月５日报送", [("２０２２年３月５日", D, "2022-03-05")]),
    ("year-month", "2023年7月，街道启动改造", [("2023年7月", D, "2023-07")]),
    ("year", "2016年全区完成造林", [("2016年", D, "2016")]),
    ("year-du", "2020年度预算执行情况", [("2020年度", D, "2020")]),
    ("year-1930s", "老人1936年出生", [("1936年", D, "1936")]),
    ("placeholder-20xx", "20xx年6月18日上午", [("20xx年6月18日上午", D, "20XX-06-18")]),
    ("placeholder-20XX", "做好20XX年复查准备", [("20XX年", D, "20XX")]),
    ("placeholder-cross", "××××年9月", [("××××年9月", D, "XXXX-09")]),
    ("placeholder-xx", "xx年我们完成了换届", [("xx年", D, "XXXX")]),
    ("placeholder-underscore", "力争20__年创建成功", [("20__年", D, "20XX")]),
    ("placeholder-day", "2024年10月X日举行", [("2024年10月X日", D, "2024-10-XX")]),
    ("no-year", "3月12日组织植树", [("3月12日", D, "XXXX-03-12")]),
    ("month-fen", "5月份开展专项检查", [("5月份", D, "XXXX-05")]),
    ("leading-zero", "2023年07月05日印发", [("2023年07月05日", D, "2023-07-05")]),
    ("spaced", "2017 年 9 月 1 日起", [("2017 年 9 月 1 日", D, "2017-09-01")]),
    ("spaced-no-year", "定于 6 月 2 日", [("6 月 2 日", D, "XXXX-06-02")]),
    ("iso-dash", "发布时间 2018-11-05", [("2018-11-05", D, "2018-11-05")]),
    ("iso-slash", "2018/11/05", [("2018/11/05", D, "2018-11-05")]),
    ("iso-dot", "落款2018.11.05", [("2018.11.05", D, "2018-11-05")]),
    ("iso-clock", "更新于2024-03-15 09:30", [("2024-03-15 09:30", D, "2024-03-15T09:30")]),
    ("daypart-kept", "2015年10月20日下午，调研组", [("2015年10月20日下午", D, "2015-10-20")]),
    ("clock-cn", "6月3日上午九点三十分集合", [("6月3日上午九点三十分", D, "XXXX-06-03T09:30")]),
    ("clock-evening", "7月2日晚上8点", [("7月2日晚上8点", D, "XXXX-07-02T20:00")]),
    ("clock-hhmm", "11月2日18:30在门口集合", [("11月2日18:30", D, "XXXX-11-02T18:30")]),
    ("clock-shi", "请于4月9日下午3时前报送", [("4月9日下午3时", D, "XXXX-04-09T15:00")]),
    (
        "clock-joins-day",
        "6月3日召开会议。\n\n下午三点半，检查组到达。",
        [("6月3日", D, "XXXX-06-03"), ("下午三点半", D, "XXXX-06-03T15:30")],
    ),
    ("clock-no-day", "晚上七点，志愿者集合", [("晚上七点", D, "XXXX-XX-XXT19:00")]),
    ("day-with-daypart", "26日上午，召开动员会", [("26日上午", D, "XXXX-XX-26")]),
    ("relative-month", "次月5日前报送", [("次月5日", D, "XXXX-XX-05")]),
    ("this-month", "请于本月25日前报送", [("本月25日", D, "XXXX-XX-25")]),
    ("weekday-paren", "定于12月8日（星期二）上午9:00召开", [("12月8日（星期二）上午9:00", D, "XXXX-12-08T09:00")]),
    ("traditional-hao", "二〇二一年三月五號", [("二〇二一年三月五號", D, "2021-03-05")]),
    ("traditional-text", "2021年4月，本社區組織", [("2021年4月", D, "2021-04")]),
    ("lunar", "農曆八月十五舉辦晚會", [("農曆八月十五", D, "XXXX-08-15", {"calendar": "lunar"})]),
    ("lunar-zheng", "正月初八开工", [("正月初八", D, "XXXX-01-08", {"calendar": "lunar"})]),
    ("lunar-chu", "九月初九登高", [("九月初九", D, "XXXX-09-09", {"calendar": "lunar"})]),
    ("digits-middle-dot", "开展3·15宣传", [("3·15", D, "XXXX-03-15")]),
    ("digits-quoted", "“12.4”国家宪法日", [("12.4", D, "XXXX-12-04")]),
    ("bare-year-title", "智慧城市2025行动方案", [("2025", D, "2025")]),
    ("bare-year-cell", "年度\n\n2019\n\n完成", [("2019", D, "2019")]),
    ("this-year-month", "今年6月以来", [("今年6月", D, "XXXX-06")]),
    ("last-year-month", "去年12月底", [("去年12月底", D, "XXXX-12", {"mod": "end"})]),
    ("this-year-hidden-month", "自今年x月以来", [("今年x月", D, "XXXX-XX")]),
    ("continuation", "10月8日、9日连续降雨", [("10月8日", D, "XXXX-10-08"), ("9日", D, "XXXX-10-09")]),
    ("holiday-with-year", "2021年春节前夕", [("2021年春节", D, "2021", {"holiday": "春节"})]),
    ("after-marker", "1.2022年度工作安排", [("2022年度", D, "2022")]),
    ("after-colon", "要求:9月下旬完成", [("9月下旬", D, "XXXX-09", {"mod": "late"})]),
    ("lost-punct", "部署阶段□2021年4月13日", [("2021年4月13日", D, "2021-04-13")]),
    ("year-nianji", "细化2021年纪检工作要点", [("2021年", D, "2021")]),
    ("compact-signoff", "某镇人民政府\n\n2021年920\n\n1 总则", [("2021年920", D, "2021-09-20")]),
]

MODS: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    ("month-end-before", "2021年6月底前完成", [("2021年6月底", D, "2021-06", {"mod": "end"})]),
    ("month-start", "8月初启动", [("8月初", D, "XXXX-08", {"mod": "start"})]),
    ("early", "4月上旬", [("4月上旬", D, "XXXX-04", {"mod": "early"})]),
    ("mid", "4月中旬", [("4月中旬", D, "XXXX-04", {"mod": "mid"})]),
    ("late", "4月下旬", [("4月下旬", D, "XXXX-04", {"mod": "late"})]),
    ("mid-late", "10月中下旬以来", [("10月中下旬", D, "XXXX-10", {"mod": "mid"})]),
    ("month-mo", "11月末", [("11月末", D, "XXXX-11", {"mod": "end"})]),
    ("year-end-alone", "确保年底前完工", [("年底", D, "XXXX-12", {"mod": "end"})]),
    ("year-start-alone", "年初召开专题会", [("年初", D, "XXXX-01", {"mod": "start"})]),
    ("year-mo", "2022年末", [("2022年末", D, "2022-12", {"mod": "end"})]),
    ("year-year-end", "2019年年底", [("2019年年底", D, "2019-12", {"mod": "end"})]),
    ("this-year-end", "今年年底前", [("今年年底", D, "XXXX-12", {"mod": "end"})]),
    ("this-year-end-short", "力争今年底", [("今年底", D, "XXXX-12", {"mod": "end"})]),
    ("year-end-noun-use", "做到年终有总结", [("年终", D, "XXXX-12", {"mod": "end"})]),
    ("year-adjective", "2023年终总结大会", [("2023年", D, "2023")]),
    ("day-mo-no-mod", "到10月20日末", [("10月20日末", D, "XXXX-10-20")]),
    ("quarter-year", "2021年第三季度", [("2021年第三季度", D, "2021-Q3")]),
    ("quarter-digit", "2022年2季度", [("2022年2季度", D, "2022-Q2")]),
    ("quarter-alone", "一季度，全镇", [("一季度", D, "XXXX-Q1")]),
    ("quarter-ordinal", "第四季度", [("第四季度", D, "XXXX-Q4")]),
    ("half-year", "2020年上半年", [("2020年上半年", D, "2020-H1")]),
    ("half-alone", "下半年重点", [("下半年", D, "XXXX-H2")]),
]

RANGES: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    ("full-full", "2019年3月1日至2019年5月31日", [("2019年3月1日至2019年5月31日", R, rng("2019-03-01", "2019-05-31"))]),
    ("day-inherits", "2020年4月13日-19日", [("2020年4月13日-19日", R, rng("2020-04-13", "2020-04-19"))]),
    ("month-inherits-year", "2022年9月至12月", [("2022年9月至12月", R, rng("2022-09", "2022-12"))]),
    ("no-year", "4月13日—4月19日", [("4月13日—4月19日", R, rng("XXXX-04-13", "XXXX-04-19"))]),
    ("years", "2016—2018年", [("2016—2018年", R, rng("2016", "2018"))]),
    ("years-both", "2016年至2018年", [("2016年至2018年", R, rng("2016", "2018"))]),
    ("years-paren", "规划（2021-2025年）", [("2021-2025年", R, rng("2021", "2025"))]),
    ("months-bare", "1-6月份", [("1-6月份", R, rng("XXXX-01", "XXXX-06"))]),
    ("months-year", "2021年1-9月", [("2021年1-9月", R, rng("2021-01", "2021-09"))]),
    ("days-bare", "7月5-9日", [("7月5-9日", R, rng("XXXX-07-05", "XXXX-07-09"))]),
    ("next-year", "10月至次年3月", [("10月至次年3月", R, rng("XXXX-10", "XXXX-03"))]),
    (
        "end-mod",
        "2021年7月1日～2021年12月底",
        [("2021年7月1日～2021年12月底", R, rng("2021-07-01", "2021-12"), {"end_mod": "end"})],
    ),
    ("qi-zhi", "3月1日起至3月31日", [("3月1日起至3月31日", R, rng("XXXX-03-01", "XXXX-03-31"))]),
    ("dao", "6月1日到6月30日", [("6月1日到6月30日", R, rng("XXXX-06-01", "XXXX-06-30"))]),
    ("tilde", "9月1日~9月7日", [("9月1日~9月7日", R, rng("XXXX-09-01", "XXXX-09-07"))]),
    ("typed-yi", "麦收期间(6月5日一6月30日)", [("6月5日一6月30日", R, rng("XXXX-06-05", "XXXX-06-30"))]),
    (
        "placeholder-years",
        "20xx年4月20日-20xx年6月30日",
        [("20xx年4月20日-20xx年6月30日", R, rng("20XX-04-20", "20XX-06-30"))],
    ),
    ("year-month-digits", "任职2021.06-2021.12", [("2021.06-2021.12", R, rng("2021-06", "2021-12"))]),
    ("five-year-plan", "“十三五”期间", [("十三五", R, rng("2016", "2020"))]),
    ("five-year-plan-14", "十四五规划", [("十四五", R, rng("2021", "2025"))]),
    ("cn-years", "一九八一年到一九八五年", [("一九八一年到一九八五年", R, rng("1981", "1985"))]),
]

DURATIONS: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    ("months-cn", "用三个月时间整治", [("三个月", DUR, "P3M")]),
    ("months-ar", "试点6个月", [("6个月", DUR, "P6M")]),
    ("years-liang", "连续两年获评", [("两年", DUR, "P2Y")]),
    ("days", "历时10天", [("10天", DUR, "P10D")]),
    ("hours", "48小时内办结", [("48小时", DUR, "PT48H")]),
    ("minutes", "留观30分钟", [("30分钟", DUR, "PT30M")]),
    ("minutes-trad", "留觀30分鐘", [("30分鐘", DUR, "PT30M")]),
    ("weeks", "为期两周的培训", [("两周", DUR, "P2W")]),
    ("month-and-half", "一个半月", [("一个半月", DUR, "P1.5M")]),
    ("half-year", "暂停半年", [("半年", DUR, "P6M")]),
    ("approx-ji", "十几天来", [("十几天", DUR, "P10D", {"approx": True})]),
    ("approx-yu", "20余天", [("20余天", DUR, "P20D", {"approx": True})]),
    ("approx-duo-after", "一年多来", [("一年多", DUR, "P1Y", {"approx": True})]),
    ("approx-yishang", "服务3年以上", [("3年以上", DUR, "P3Y", {"approx": True})]),
    ("working-days", "5个工作日内答复", [("5个工作日", DUR, "P5D", {"note": "working days"})]),
    ("vague-shu", "提前数年谋划", [("数年", DUR, "PXY", {"approx": True})]),
    ("vague-months", "耗时数月", [("数月", DUR, "PXM", {"approx": True})]),
    ("hundred-days", "开展百日攻坚", [("百日", DUR, "P100D")]),
    ("ri-with-cue", "为期三日", [("三日", DUR, "P3D")]),
    ("one-year-since", "一年来，我们", [("一年", DUR, "P1Y")]),
    ("three-year-plan", "三年行动计划", [("三年", DUR, "P3Y")]),
    ("one-day", "为期一天", [("一天", DUR, "P1D")]),
]

RECURRING: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    ("yearly", "每年组织一次", [("每年", REC, "yearly")]),
    ("monthly", "每月通报", [("每月", REC, "monthly")]),
    ("weekly", "每周开展巡查", [("每周", REC, "weekly")]),
    ("daily", "每天清扫", [("每天", REC, "daily")]),
    ("daily-ri", "每日报送", [("每日", REC, "daily")]),
    ("daily-yi", "贯穿每一天", [("每一天", REC, "daily")]),
    ("quarterly", "每季度召开", [("每季度", REC, "quarterly")]),
    ("quarterly-short", "每季分析", [("每季", REC, "quarterly")]),
    ("half-yearly", "每半年评估", [("每半年", REC, "half-yearly")]),
    ("weekly-trad", "每週例會", [("每週", REC, "weekly")]),
    ("year-start", "每年年初制定计划", [("每年年初", REC, "yearly", {"mod": "start"})]),
    ("year-end", "每年年底前报送", [("每年年底", REC, "yearly", {"mod": "end"})]),
    ("month-day", "每月10日前报送", [("每月10日", REC, "monthly")]),
    ("holiday", "每年国庆期间", [("每年国庆期间", REC, "yearly", {"holiday": "国庆"})]),
    ("an-month", "按月上报", [("按月", REC, "monthly")]),
    ("an-quarter", "按季度结算", [("按季度", REC, "quarterly")]),
    ("one-x-one-y-month", "一月一评比", [("一月一评比", REC, "monthly")]),
    ("one-x-one-y-year", "一年一度的评选", [("一年一度", REC, "yearly")]),
    ("one-x-one-y-week", "一周一调度", [("一周一调度", REC, "weekly")]),
    ("one-x-one-y-day", "一日一巡查", [("一日一巡查", REC, "daily")]),
]

EXCLUSIONS: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    ("vague-recent-years", "近年来，社区", []),
    ("vague-recent", "近期将开展", []),
    ("vague-now", "目前已完成", []),
    ("this-year-alone", "今年以来", []),
    ("last-year-alone", "比去年增长", []),
    ("that-day", "当日办结", []),
    ("holiday-alone", "春节期间加强值守", []),
    ("holiday-duanwu", "端午节前", []),
    ("ordinal-batch", "第三批名单", []),
    ("doc-number", "国发〔2021〕15号", []),
    ("doc-number-paren", "办函(2020)638号", []),
    ("phone", "联系电话：0871-12345678", []),
    ("decimal-not-date", "路宽3.14米", []),
    ("outline-marker", "1.2 工作原则", []),
    ("grade", "三年级学生", []),
    ("decade", "上世纪90年代", []),
    ("anniversary", "建党100周年", []),
    ("age", "35周岁以下", []),
    ("points-not-clock", "提出三点要求", []),
    ("stock-days", "可用天数7天", []),
    ("stock-days-decimal", "库存可用8.5天", []),
    ("stock-days-clause", "优良天数达到300天", []),
    ("adjective-budget", "年初预算", []),
    ("adjective-exam", "年底考核", []),
    ("adjective-summary", "年终总结", []),
    ("adjective-annual", "年度计划", []),
    ("adjective-monthly", "月度例会", []),
    ("adjective-quarterly", "季度通报", []),
    ("before-three-quarters", "前三季度", []),
    ("many-years", "多年来", []),
    ("every-unit", "每个小区", []),
    ("an-time", "按时完成", []),
    ("an-age", "按年龄分组", []),
    ("year-eventually", "2021年终于建成", [("2021年", D, "2021")]),
    ("count-not-year", "共有2000户", []),
    ("decimal-not-year-month", "产值2021.06万元", []),
    ("decimal-one-digit", "增长2021.5", []),
    ("jan-first-not-recurring", "一月一日", [("一月一日", D, "XXXX-01-01")]),
    ("month-not-recurring-neighbour", "近一月来", []),
]

# partly hidden years (each hidden digit one X, a year is four positions), decimal durations,
# and halves used as adjectives in a title noun phrase
MASKED_AND_HALVES: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    (
        "masked-year-range",
        "整治期为xxx5年10月8日至xxx6年2月28日。",
        [("xxx5年10月8日至xxx6年2月28日", R, rng("XXX5-10-08", "XXX6-02-28"))],
    ),
    ("masked-year-two-hidden", "本届运动会于xx19年9月6日开幕", [("xx19年9月6日", D, "XX19-09-06")]),
    ("masked-year-third-digit", "力争20x5年底前全部建成", [("20x5年底", D, "20X5-12", {"mod": "end"})]),
    ("masked-year-fullwidth", "２０ｘ２年３月启动", [("２０ｘ２年３月", D, "20X2-03")]),
    ("masked-year-star", "关于201*年度调解工作的报告", [("201*年度", D, "201X")]),
    ("masked-year-uppercase", "XX18年4月", [("XX18年4月", D, "XX18-04")]),
    ("masked-year-not-two-durations", "xxx7年至xxx8年", [("xxx7年至xxx8年", R, rng("XXX7", "XXX8"))]),
    ("decimal-days", "每次会期不超过2.5天", [("2.5天", DUR, "P2.5D")]),
    ("half-day-decimal", "集中培训0.5天", [("0.5天", DUR, "P0.5D")]),
    ("decimal-hours", "巡查用时1.5小时", [("1.5小时", DUR, "PT1.5H")]),
    ("stock-days-kucun", "电厂库存可用9.5天", []),
    ("half-title-adjective", "2023年街道妇联下半年工作计划", [("2023年", D, "2023")]),
    ("half-title-year-led", "2022年上半年工作总结", [("2022年", D, "2022")]),
    ("half-title-alone", "下半年工作计划与上半年工作报告", []),
    ("half-time-word", "今年下半年以来，社区", [("今年下半年", D, "XXXX-H2")]),
    ("half-clause-start", "上半年，街道完成改造", [("上半年", D, "XXXX-H1")]),
    ("half-year-led-time", "2022年上半年，全镇", [("2022年上半年", D, "2022-H1")]),
    ("year-end-work-summary", "年终工作总结", []),
    ("year-end-work-meeting", "召开年底工作会议", []),
    ("half-year-duration-kept", "近半年来", [("半年", DUR, "P6M")]),
    (
        "half-joined-to-time-word",
        "报告本年上半年完成情况和下半年工作计划",
        [("本年上半年", D, "XXXX-H1"), ("下半年", D, "XXXX-H2")],
    ),
    (
        "half-joined-with-ji",
        "2023年上半年工作进展及下半年工作打算",
        [("2023年上半年", D, "2023-H1"), ("下半年", D, "XXXX-H2")],
    ),
    ("half-joined-to-adjective", "上半年工作总结及下半年工作计划", []),
]

# what is no date: vague few-years, 一 meaning "a" before 年/天; a range whose start is a word
VAGUE_AND_OPEN: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    ("vague-few-years-near", "近几年来，村里变化很大", []),
    ("vague-few-months-this", "这几个月大家都很辛苦", []),
    ("few-months-kept", "志愿者提前数月着手准备", [("数月", DUR, "PXM", {"approx": True})]),
    ("a-year-copula", "明年是攻坚的关键一年。", []),
    ("a-year-de", "度过了不平凡的一年", []),
    ("a-day-de", "那是令人难忘的一天", []),
    ("one-year-weiqi", "这是一次为期一年的试点", [("一年", DUR, "P1Y")]),
    ("one-year-shijian", "用一年时间完成改造", [("一年", DUR, "P1Y")]),
    ("one-year-bare-verb", "项目试运行一年，效果良好", [("一年", DUR, "P1Y")]),
    ("one-day-bare-verb", "停课一天。", [("一天", DUR, "P1D")]),
    ("open-start-range-jiri", "（即日-6月15日）", [("6月15日", D, "XXXX-06-15")]),
    ("open-start-range-jinri", "今日-7月1日开展排查", [("7月1日", D, "XXXX-07-01")]),
    ("numeric-dash-month-still-blocked", "编号12-3月报", []),
]

# plan names, bare year ranges in brackets, a day whose 日 was dropped before 前
PLANS_AND_BRACKETS: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    ("plan-ordinal-guihua", "自第九个五年规划实施以来", []),
    ("plan-ordinal-jihua", "第十个五年计划期间全县", []),
    ("plan-ordinal-trad", "第七個五年計劃", []),
    ("plan-ordinal-gangyao", "落实第十二个五年纲要", []),
    ("plan-ordinal-topic-between", "区里第六个科普宣传五年规划", []),
    ("plan-ordinal-other-clause", "第三个，用五年规划", [("五年", DUR, "P5Y")]),
    ("plan-word-without-ordinal-stays", "再用五年时间完成规划", [("五年", DUR, "P5Y")]),
    ("plan-short-name-kept", "编制十五五规划", [("十五五", R, rng("2026", "2030"))]),
    ("plan-thirteen-kept", "回顾十三五时期", [("十三五", R, rng("2016", "2020"))]),
    ("bracket-years-hyphen", "乡村振兴规划(2023-2027)全文", [("2023-2027", R, rng("2023", "2027"))]),
    ("bracket-years-fullwidth", "治理纲要（2019—2023）印发", [("2019—2023", R, rng("2019", "2023"))]),
    ("bracket-years-spaces", "方案（ 2020 - 2022 ）", [("2020 - 2022", R, rng("2020", "2022"))]),
    ("bracket-years-nian-kept", "计划（2024-2026年）", [("2024-2026年", R, rng("2024", "2026"))]),
    ("bracket-not-descending", "见附表(2030-2010)", []),
    ("bracket-not-equal", "档号(2022-2022)", []),
    ("bracket-not-phone", "咨询电话(0551-2034)", []),
    ("bracket-not-long-number", "编号(12021-2025)", []),
    ("bracket-not-open", "共2021-2025册", []),
    ("day-before-qian", "务必于2019年6月20前报送", [("2019年6月20", D, "2019-06-20")]),
    ("day-before-zhiqian", "请在8月5之前完成", [("8月5", D, "XXXX-08-05")]),
    ("day-before-yiqian", "3月18以前", [("3月18", D, "XXXX-03-18")]),
    ("day-bare-needs-qian", "2020年5月30余人参加", [("2020年5月", D, "2020-05")]),
    ("day-bare-invalid", "7月40前", [("7月", D, "XXXX-07")]),
    ("enum-fullwidth-dot-before-year", "附表：2．2024年道路清单", [("2024年", D, "2024")]),
    ("enum-halfwidth-dot-before-year", "材料：1.2019年台账", [("2019年", D, "2019")]),
    ("decimal-duration-kept", "再用2.5年建成", [("2.5年", DUR, "P30M")]),
    ("chu-bu-not-year-start", "2021年初步计划修路", [("2021年", D, "2021")]),
    ("chu-bu-not-month-start", "5月初步建成", [("5月", D, "XXXX-05")]),
    ("chu-xin-not-year-start", "2020年初心不改", [("2020年", D, "2020")]),
    ("year-start-kept", "2021年初完成验收", [("2021年初", D, "2021-01", {"mod": "start"})]),
    ("month-start-kept", "6月初开工", [("6月初", D, "XXXX-06", {"mod": "start"})]),
    ("di-xian-not-year-end", "2022年底线任务", [("2022年", D, "2022")]),
    ("collection-title-line-chrome", "社区工作总结(精选3篇)(最新2021年版)\n2022年完成", [("2022年", D, "2022")]),
    ("collection-count-line-chrome", "2023年街道工作总结4篇\n\n3月开展巡查", [("3月", D, "XXXX-03")]),
    ("real-title-year-kept", "2023年街道工作总结\n3月开展巡查", [("2023年", D, "2023"), ("3月", D, "XXXX-03")]),
]

KNOWN_MISSES: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    ("bare-day-range", "18 日—21 日", [("18 日—21 日", R, rng("XXXX-XX-18", "XXXX-XX-21"))]),
    ("four-digit-duration", "长达2600年", [("2600年", DUR, "P2600Y")]),
    ("clock-range", "9月20日9:30-10:30", [("9月20日9:30-10:30", R, rng("XXXX-09-20T09:30", "XXXX-09-20T10:30"))]),
    ("semimonthly", "每半月排查", [("每半月", REC, "semi-monthly")]),
]


def _ids(rows: list[tuple[str, str, list[tuple[Any, ...]]]]) -> list[str]:
    return [r[0] for r in rows]


def _observed(text: str, expected: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    out = []
    items = extract_dates(text)
    for i, it in enumerate(items):
        row: tuple[Any, ...] = (it.text, it.kind, it.value)
        want_extra = expected[i][3] if i < len(expected) and len(expected[i]) > 3 else None
        if want_extra:
            d = it.to_dict()
            row = (*row, {k: d.get(k) for k in want_extra})
        out.append(row)
    return out


ALL = (
    POINTS
    + MODS
    + RANGES
    + DURATIONS
    + RECURRING
    + EXCLUSIONS
    + MASKED_AND_HALVES
    + VAGUE_AND_OPEN
    + PLANS_AND_BRACKETS
)


@pytest.mark.parametrize(("case", "text", "expected"), ALL, ids=_ids(ALL))
def test_examples(case: str, text: str, expected: list[tuple[Any, ...]]) -> None:
    assert _observed(text, expected) == expected


@pytest.mark.xfail(strict=True, reason="known miss: not read yet")
@pytest.mark.parametrize(("case", "text", "expected"), KNOWN_MISSES, ids=_ids(KNOWN_MISSES))
def test_known_misses(case: str, text: str, expected: list[tuple[Any, ...]]) -> None:
    assert _observed(text, expected) == expected


def test_table_is_big_enough() -> None:
    assert len(ALL) + len(KNOWN_MISSES) >= 150


@pytest.mark.parametrize(("case", "text", "expected"), ALL, ids=_ids(ALL))
def test_offsets(case: str, text: str, expected: list[tuple[Any, ...]]) -> None:
    for it in extract_dates(text):
        assert text[it.start : it.end] == it.text


SIGNED = "关于秋季防火的通知\n\n各村：9月下旬完成排查，11月至次年2月为重点期。\n\n某镇人民政府\n\n2021年10月11日\n"


def test_doc_date_from_signoff() -> None:
    dates = extract_dates(SIGNED)
    assert find_doc_date(SIGNED, dates) == "2021-10-11"


def test_resolution_from_signoff() -> None:
    by_text = {d.text: d for d in extract_dates(SIGNED)}
    assert by_text["9月下旬"].value == "XXXX-09"
    assert by_text["9月下旬"].resolved == "2021-09"
    assert by_text["11月至次年2月"].resolved == {"start": "2021-11", "end": "2022-02"}
    assert by_text["2021年10月11日"].resolved is None


def test_doc_date_labelled() -> None:
    text = "发文日期：2020-05-06\n\n一、5月底前完成自查。\n"
    dates = extract_dates(text)
    assert find_doc_date(text, dates) == "2020-05-06"
    assert [d.resolved for d in dates if d.text == "5月底"] == ["2020-05"]


def test_no_doc_date_no_resolution() -> None:
    text = "一、5月底前完成自查。\n二、2021年工作要点。"
    dates = extract_dates(text)
    assert find_doc_date(text, dates) is None
    assert all(d.resolved is None for d in dates)


def test_resolution_left_out_when_ambiguous() -> None:
    text = "去冬今春：11月完成整治。\n\n某街道\n\n2022年2月8日\n"
    dates = extract_dates(text)
    assert [d.resolved for d in dates if d.text == "11月"] == [None]


def test_date_mid_text_is_not_signoff() -> None:
    text = "2021年3月5日\n\n" + "社区开展了卫生整治。" * 30
    assert find_doc_date(text, extract_dates(text)) is None


@pytest.mark.parametrize(
    ("cell", "text", "value", "mod"),
    [
        ("2021年6月底前", "2021年6月底", "2021-06", "end"),
        ("6月30日前完成", "6月30日", "XXXX-06-30", None),
        ("长期坚持", None, None, None),
        ("4月20日-6月30日", "4月20日-6月30日", {"start": "XXXX-04-20", "end": "XXXX-06-30"}, None),
        ("每季度", "每季度", "quarterly", None),
    ],
    ids=["month-end", "day", "none", "range", "recurring"],
)
def test_parse_date_span(cell: str, text: str | None, value: Any, mod: str | None) -> None:
    item = parse_date_span(cell)
    if text is None:
        assert item is None
        return
    assert item is not None
    assert (item.text, item.value, item.mod) == (text, value, mod)
    assert cell[item.start : item.end] == item.text


def test_parse_date_span_resolves() -> None:
    item = parse_date_span("9月底前", doc_date="2021-03-02")
    assert item is not None and item.resolved == "2021-09"


def test_record_form() -> None:
    d = extract_dates("2021年6月底前")[0].to_dict()
    assert d == {
        "text": "2021年6月底",
        "kind": "date",
        "value": "2021-06",
        "start": 0,
        "end": 8,
        "mod": "end",
        "approx": False,
    }


def _load_scorer(shared: Path) -> Any:
    spec = importlib.util.spec_from_file_location("civic_score_t", shared / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.shared
def test_gold_offsets_and_floor(shared: Path) -> None:
    """On the shared gold texts: offsets hold everywhere and dates F1 stays above the floor."""
    scorer = _load_scorer(shared)
    tp = fp = fn = ok = n = 0
    for name in ("seed.jsonl", "dev.jsonl"):
        for line in (shared / "gold" / name).open(encoding="utf-8"):
            g = json.loads(line)
            items = extract_dates(g["text"])
            for it in items:
                assert g["text"][it.start : it.end] == it.text
            pred = [it.to_dict() for it in items]
            pairs, missed, extra = scorer.match(g.get("dates") or [], pred, key=lambda d: d.get("text"))
            tp, fp, fn = tp + len(pairs), fp + len(extra), fn + len(missed)
            n += len(pairs)
            ok += sum(scorer.same_value(a.get("value"), b.get("value")) for a, b in pairs)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.93
    assert ok / n >= 0.90


ALPHABET = "0123456789０１２年月日号时点分-—至到~、，。 \n每按一二三十几多半个天周季度上下旬底初末xX×_:“”农历今次年前后上午晚上"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_offsets_property(text: str) -> None:
    for it in extract_dates(text):
        assert text[it.start : it.end] == it.text
        assert it.kind in ("date", "range", "duration", "recurring")


@pytest.mark.parametrize(
    ("value", "doc_date", "rel", "want"),
    [
        ("XXXX-09-10", "2018-10-01", None, "2018-09-10"),
        ("XXXX-Q1", "2022-03-31", None, "2022-Q1"),
        ("XXXX-02", "2021-10-11", 1, "2022-02"),
        ("XXXX-12", "2022-02-08", None, None),
        ("20XX-04-13", "2021-05-01", None, "20XX-04-13"),
        ("XXXX", "2021-05-01", None, None),
        ({"start": "XXXX-11", "end": "XXXX-02"}, "2021-10-11", None, {"start": "2021-11", "end": "2022-02"}),
    ],
    ids=["day", "quarter", "next-year", "ambiguous", "hidden-century", "bare-placeholder", "range-wraps"],
)
def test_resolve_value(value: Any, doc_date: str, rel: int | None, want: Any) -> None:
    assert resolve_value(value, doc_date, rel=rel) == want


def test_doc_date_compact_signoff() -> None:
    text = "关于做好防火工作的通知\n\n各村：10月底前完成排查。\n\n某镇人民政府\n\n2021年920\n"
    dates = extract_dates(text)
    assert find_doc_date(text, dates) == "2021-09-20"
    assert [d.resolved for d in dates if d.text == "10月底"] == ["2021-10"]


def test_pipeline_records_dates_and_doc_date() -> None:
    import civicnlp

    (doc,) = civicnlp.extract(SIGNED)
    rec = doc.to_dict()
    assert rec["doc_date"] == "2021-10-11"
    assert {
        "text": "9月下旬",
        "kind": "date",
        "value": "XXXX-09",
        "mod": "late",
        "resolved": "2021-09",
    }.items() <= next(d for d in rec["dates"] if d["text"] == "9月下旬").items()
