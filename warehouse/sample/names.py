"""Plausible Chinese personal names.

Names are not keys (the ID is), so collisions are allowed and even realistic.  A few Yi
names in the ``阿苏·拉且`` pattern are produced for Yi persons, because the contract keeps
the ``·`` while stripping spaces.
"""

from __future__ import annotations

import random
import sys

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严武戴莫孔向汤母税喻"
)
MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志文德清松山川海峰云成"
)
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪琳慧颖倩莉萍红梅兰英琴秀晶佳瑶怡欣蓉妍丹洁璐露月"
NEUTRAL_CHARS = "晓小子天思雨春秋金玉红永德学文家嘉一明"

YI_SURNAMES = (
    "阿苏",
    "吉克",
    "沙马",
    "阿说",
    "勒格",
    "海来",
    "吉木",
    "马海",
    "俄木",
    "曲比",
    "吉伍",
)
YI_MALE_GIVEN = ("拉且", "曲布", "日火", "尔古", "拉铁", "木呷", "石者", "约哈", "伍各", "阿木")
YI_FEMALE_GIVEN = ("阿呷", "伍呷", "尔呷", "阿果", "阿芝", "木果", "拉则", "石呷", "阿衣", "么阿")


class NameMaker:
    """Draws names from one seeded ``random.Random`` so the sample stays reproducible."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def han(self, sex: str) -> str:
        """A one- or two-character given name after a common surname."""
        rng = self._rng
        chars = MALE_CHARS if sex == "男" else FEMALE_CHARS
        if rng.random() < 0.3:
            given = rng.choice(chars)
        else:
            first = rng.choice(NEUTRAL_CHARS) if rng.random() < 0.4 else rng.choice(chars)
            given = first + rng.choice(chars)
        return sys.intern(rng.choice(SURNAMES) + given)  # names repeat: one copy each

    def yi(self, sex: str) -> str:
        """A transliterated Yi name with the middle dot, e.g. 吉克·阿呷."""
        rng = self._rng
        given = YI_MALE_GIVEN if sex == "男" else YI_FEMALE_GIVEN
        return sys.intern(f"{rng.choice(YI_SURNAMES)}·{rng.choice(given)}")
