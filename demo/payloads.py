"""What each step's page receives when a person does the usual thing: one payload per
decision, shared by seed_demo, the demo year and the tests."""

PASS = {"decision": "pass", "comment": "经审查，草案符合法律法规规定，同意报送。"}
SEND_BACK = {"decision": "send_back", "comment": "第三条职责表述不清，请修改后重新报送。"}
COMPLETE = {"decision": "complete"}
SUPPLEMENT = {
    "decision": "supplement",
    "missing": ["consultation"],
    "comment": "请补充征求意见情况。",
}
REVISE = {
    "conclusion": "revise",
    "text": "草案部分条款需修改完善。",
    "findings-TOTAL_FORMS": "1",
    "findings-INITIAL_FORMS": "0",
    "findings-0-article": "第六条",
    "findings-0-point": "prohibited",
    "findings-0-text": "规范性文件不得设定行政处罚，建议删除“予以处理”中的处罚内容或改为引用上位法。",
    "findings-0-legal_basis": "《河北省规范性文件制定规定》第七条",
}
LAWFUL = {
    "conclusion": "lawful",
    "text": "经审查，该草案制定主体适格，内容不违反上位法规定，制定程序符合要求。",
    "legal_basis": "《河北省规范性文件制定规定》第十五条",
    "findings-TOTAL_FORMS": "0",
    "findings-INITIAL_FORMS": "0",
}
SIGN = {"decision": "sign", "comment": "同意。"}
ADOPTED = {"meeting": "市政府第12次常务会议", "outcome": "adopted", "notes": ""}
RECHECK = {"decision": "pass", "opinion_adopted": "on", "comment": ""}
REGISTER = {"published_in": "衡水市人民政府门户网站"}
