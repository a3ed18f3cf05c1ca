"""The civic tokenizer: civic terms come out whole, and the user's global jieba is untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest

from civicnlp.tokenize import civic_terms, tokenize

# (term, a sentence of our own that uses it)
TERMS = [
    ("牵头领导", "本项工作的牵头领导由副镇长担任"),
    ("责任单位", "各责任单位要在月底前报送进度"),
    ("配合单位", "区城管局为配合单位"),
    ("分管领导", "分管领导每周听取一次汇报"),
    ("文明城市", "共建文明城市，共享美好家园"),
    ("网格员", "每个小区配备两名网格员"),
    ("河长制", "全面落实河长制各项要求"),
    ("垃圾分类", "积极参与垃圾分类从我做起"),
    ("新时代文明实践站", "依托新时代文明实践站开展宣讲"),
    ("志愿服务队", "组建党员志愿服务队上门服务"),
    ("人居环境整治", "扎实推进农村人居环境整治工作"),
    ("疫情防控", "毫不放松抓好疫情防控"),
    ("安全隐患", "及时消除各类安全隐患"),
    ("矛盾纠纷排查", "每月开展一次矛盾纠纷排查"),
    ("第一书记", "村里的第一书记带队走访"),
    ("党群服务中心", "社区党群服务中心全天开放"),
    ("移风易俗", "大力倡导移风易俗新风尚"),
    ("老旧小区改造", "今年完成老旧小区改造三处"),
    ("营商环境", "打造一流营商环境"),
    ("应急预案", "修订完善防汛应急预案"),
    ("工作方案", "特制定本工作方案"),
    ("汇报如下", "现将有关情况汇报如下"),
    ("领导小组", "由领导小组统一调度"),
    ("保障措施", "四、保障措施"),
    ("门前三包", "督促沿街商户落实门前三包"),
    ("一岗双责", "严格落实一岗双责"),
    ("网格化管理", "推行网格化管理模式"),
    ("居委会", "由居委会统一登记"),
]


@pytest.mark.parametrize(("term", "sentence"), TERMS, ids=[t for t, _ in TERMS])
def test_civic_term_comes_out_whole(term: str, sentence: str) -> None:
    assert term in sentence
    assert term in tokenize(sentence)


def test_dictionary_is_jieba_format_and_large() -> None:
    entries = civic_terms()
    assert len(entries) >= 300
    words = [w for w, _, _ in entries]
    assert len(set(words)) == len(words), "duplicate entries"
    assert all(len(w) >= 2 and freq > 0 and tag for w, freq, tag in entries)


def test_tokens_rebuild_the_text_without_whitespace() -> None:
    text = "各社区 网格员\n负责垃圾分类。"
    assert "".join(tokenize(text)) == "".join(text.split())


def test_bare_non_str_is_refused() -> None:
    with pytest.raises(TypeError, match="takes a str"):
        tokenize(["网格员"])  # type: ignore[arg-type]


def test_public_alias_survives_importing_the_module() -> None:
    import civicnlp
    import civicnlp.tokenize as module

    assert civicnlp.tokenize("网格员负责") == tokenize("网格员负责") == module("网格员负责")


def test_global_jieba_untouched() -> None:
    """In a fresh process: using civicnlp's tokenizer leaves jieba's global dictionary as it was."""
    code = (
        "import jieba\n"
        "from civicnlp.tokenize import tokenize\n"
        "tokenize('新时代文明实践站')\n"
        "assert not jieba.dt.initialized, 'global jieba was initialized'\n"
        "jieba.initialize()\n"
        "assert '新时代文明实践站' not in jieba.dt.FREQ\n"
        "assert '新时代文明实践站' not in jieba.lcut('新时代文明实践站')\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
