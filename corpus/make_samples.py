"""Write the bundled samples that are not plain UTF-8 text: a .docx (with a task table), a
GB18030-encoded .txt and a Big5-encoded .txt in traditional characters.

Run from anywhere: ``python corpus/make_samples.py``. The texts are the project's own samples
(written for civicnlp, not copied from anywhere); the generated files are committed too, so
users need not run this.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

FLOOD_PLAN_TITLE = "青石街道2024年防汛工作方案"
FLOOD_PLAN_BEFORE_TABLE = [
    "为切实做好今年汛期防汛工作，最大限度减少洪涝灾害损失，保障辖区群众生命财产安全，结合街道实际，制定本方案。",
    "一、防汛时段",
    "2024年5月1日至9月30日为主汛期，其中2024年7月下旬至8月上旬要重点防范强降雨。",
    "二、工作任务",
    "各项任务分解如下表：",
]
FLOOD_PLAN_TABLE = [
    ["序号", "工作任务", "牵头单位", "完成时限"],
    ["1", "排查辖区易涝点和危旧房屋，建立隐患台账", "街道城建办", "2024年4月20日前"],
    ["2", "储备编织袋、救生衣、抽水泵等防汛物资", "街道应急办", "2024年4月30日前"],
    ["3", "组建防汛抢险应急队伍并开展演练", "街道武装部", "2024年5月15日前"],
]
FLOOD_PLAN_AFTER_TABLE = [
    "三、应急处置",
    "（一）预警响应。接到暴雨预警后，各社区要在1小时内将预警信息传达到户，必要时组织群众转移。",
    "（二）值班值守。主汛期实行24小时值班和领导带班制度，由街道党工委书记周某某总负责。",
    "四、保障措施",
    "（一）加强组织领导。街道成立防汛指挥部，办事处主任吴某某任指挥长。",
    "（二）落实经费保障。街道安排防汛专项资金50万元，确保物资储备和应急处置需要。",
    "青石街道办事处",
    "2024年4月8日",
]

FOREST_SUMMARY = """石门乡2022年森林防火工作总结
今年以来，石门乡认真落实森林防火责任制，坚持预防为主、积极消灭的方针，实现了无重大森林火灾的目标。现将工作情况总结如下：
一、强化组织领导，压实防火责任
乡党委、乡政府成立了以乡长陈某某为组长的森林防火指挥部，与19个行政村签订防火责任书，层层落实包片责任。
二、加强宣传教育，提高防火意识
充分利用广播、横幅、微信群等方式开展宣传，悬挂宣传横幅120条，发放《森林防火告知书》8000余份，出动宣传车60余车次。
三、突出重点时段，严防野外用火
在清明节、春节等重点时段，组织护林员和扑火队员24小时值班巡查，累计巡山2300多人次，劝阻野外用火行为47起。
四、加强队伍建设，提升扑救能力
组建半专业扑火队1支共35人，于2022年11月8日至10日组织开展扑火实战演练，参演人员达到200人。
五、下一步工作打算
一是继续加强防火宣传；二是加大防火基础设施投入，力争在2023年完成5公里防火隔离带建设。
石门乡人民政府
2022年12月20日
"""

WATER_INITIATIVE_TRADITIONAL = """節約用水倡議書
各位市民朋友：
水是生命之源。今年入夏以來，本市持續高溫少雨，主要水庫蓄水量較常年同期減少近三成，城區日均供水量已超過42萬噸，供水形勢十分嚴峻。為保障全市生產生活用水，市節水辦向廣大市民發出如下倡議：
一、樹立節水意識。充分認識水資源短缺的嚴峻形勢，把節約用水當作日常習慣，從點滴做起。
二、養成節水習慣。洗菜淘米水可用於澆花拖地，洗衣機盡量滿桶洗滌，刷牙、洗手時隨手關閉水龍頭。
三、使用節水器具。家中更換節水型馬桶和水龍頭，發現管道滲漏及時報修，杜絕跑冒滴漏。
四、爭當節水衛士。勸阻浪費用水的行為，發現公共供水設施損壞請撥打熱線12345反映。
節約用水，人人有責。讓我們從現在做起，珍惜每一滴水！
市節約用水辦公室
2022年7月15日
"""


def make_docx(path: Path) -> None:
    """The flood-prevention plan as a Word document: paragraphs, a task table, more paragraphs."""
    import docx

    document = docx.Document()
    document.add_paragraph(FLOOD_PLAN_TITLE)
    for line in FLOOD_PLAN_BEFORE_TABLE:
        document.add_paragraph(line)
    table = document.add_table(rows=len(FLOOD_PLAN_TABLE), cols=len(FLOOD_PLAN_TABLE[0]))
    for r, row in enumerate(FLOOD_PLAN_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in FLOOD_PLAN_AFTER_TABLE:
        document.add_paragraph(line)
    document.save(str(path))


def main() -> None:
    """Write the three generated samples next to this script."""
    make_docx(HERE / "plan-flood-prevention.docx")
    (HERE / "summary-forest-fire-gb18030.txt").write_bytes(FOREST_SUMMARY.encode("gb18030"))
    (HERE / "initiative-water-saving-big5.txt").write_bytes(WATER_INITIATIVE_TRADITIONAL.encode("big5"))


if __name__ == "__main__":
    main()
