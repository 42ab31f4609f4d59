"""Goals in a match report: who scored, in which minute, to which score.

Sports reports in both languages tell the goals of a match in a run of sentences, each naming the scorer, the
minute ("in der 14. Minute", "(41.)", "in the 81st minute") and often the score it made ("zum 2:1",
"to make it 2-1"). A sentence counts as a goal when it has a scoring word and a minute or a score; the scorer is
the person named before the minute, not the one who gave the pass ("nach einer Ecke von X", "from X's cross").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Sentence
from .names import Name

_CUE = re.compile(
    r"\b(?:traf|trafen|trifft|treffen|erzielte|erzielten|erzielt|köpfte|köpft|schoss|schossen|schießt|verwandelte|"
    r"verwandelt|glich|gleicht|netzte|"
    r"staubte|markierte|besorgte|vollendete|Tor|Tore|Treffer|Ausgleich\w*|Anschlusstreffer|Führungstreffer|Führung|"
    r"Siegtreffer|Siegtor|Schlusspunkt|scored|scores|headed|heads|equalised|equalized|equaliser|equalizer|netted|"
    r"nets|converted|struck|strikes|fired|slotted|tapped|volleyed|curled|goal|goals|opener|scoring|levelled|leveled|"
    r"try|tries|Versuch|Versuche|touched\s+down|powered\s+over|went\s+over|crossed)\b",  # rugby
    re.IGNORECASE,
)
_EQUALISER = re.compile(r"\b(?:glich|gleicht|Ausgleich\w*|equalis\w*|equaliz\w*|levell?ed)\b", re.IGNORECASE)
MINUTE = re.compile(
    r"(?:\bin\s+der\s+)?\b(\d{1,3})\.\s*(?:Spiel)?[Mm]inute\b"  # in der 14. Minute
    r"|\((\d{1,3})\.\)"  # (41.)
    r"|\b(?:in\s+the\s+)?(\d{1,3})(?:st|nd|rd|th)[\s-]minute\b"  # in the 81st minute, 81st-minute
    r"|\bafter\s+(\d{1,3})\s+minutes\b|\bnach\s+(\d{1,3})\s+Minuten\b"
    r"|\((\d{1,3})(?:'|’|\s?min\.?)\)"  # (81'), (81 min)
    r"|\((\d{1,2}):(\d{2})\)"  # a game clock in ice hockey or handball: "(30:05)"
)
# a score such as "2:1" or "3-2" (not "10.30", not a date "1.2.")
SCORE = re.compile(r"(?<![\d.,:])(\d{1,2})\s?[-:–]\s?(\d{1,2})(?![\d,:]|\.\d)")
_GOAL_SCORE = re.compile(r"\b(?:zum|zur|mit\s+dem|to\s+make\s+it)\s+\d{1,2}\s?[-:–]\s?\d{1,2}\b", re.IGNORECASE)
_CARD = re.compile(r"\b(?:Karte|Platzverweis|vom\s+Platz|sent\s+off|red\s+card|yellow\s+card|booked|dismissed)\b",
                   re.IGNORECASE)
_PASSER = re.compile(r"['’]s?\s+(?:\w+\s+)?(?:cross|pass|corner|free[- ]kick|through[- ]ball|lay-off|cut-back|"
                     r"assist|shot)\b", re.IGNORECASE)
_ASSIST = re.compile(
    r"(?:\bvon|\bfrom|\bby|\bpast|\bgegen|\bnach\s+(?:\w+\s+){0,3}von|Vorlage\s+von|Flanke\s+von|Ecke\s+von|"
    r"cross\s+from|pass\s+from|assist\s+from|beat|beating|überwand|überwindet)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Goal:
    sentence: int
    scorer: Name
    minute: str  # the minute as written ("14. Minute", "41.", "81st minute"), or ""
    minute_value: int  # 0 when not given
    score: str  # the score it made ("2:1"), or ""
    equaliser: bool


def find_goals(sentences: list[Sentence], names: list[Name]) -> list[Goal]:
    """The goals the sentences tell, in the order they are told."""
    goals: list[Goal] = []
    people: dict[int, list[Name]] = {}
    for name in names:
        if name.kind == "person":
            people.setdefault(name.sentence, []).append(name)
    for sentence in sentences:
        text = sentence.text
        if not _CUE.search(text) and not _GOAL_SCORE.search(text):
            continue
        found = [m for m in MINUTE.finditer(text) if not _after_result(text, m)]
        clocks = {m.span() for m in found if m.group(7)}
        minutes = _one_per_goal(found)
        scores = [m for m in SCORE.finditer(text) if not _is_final_result(text, m)
                  and not any(a - 1 <= m.start() < b for a, b in clocks)]
        if not minutes and not scores:
            continue
        scorers = [n for n in people.get(sentence.index, [])
                   if not _ASSIST.search(text[: n.start - sentence.start])
                   and not _PASSER.match(text[n.end - sentence.start:])]  # "heading in Ashdown's cross"
        if not scorers:
            continue
        anchors = minutes or scores
        for k, anchor in enumerate(anchors):
            stretch = text[anchors[k - 1].end() if k else 0: anchor.end() + 25]
            if _CARD.search(stretch) and not _CUE.search(stretch):
                continue  # "sah in der 76. Minute die Gelb-Rote Karte": a sending-off, not a goal
            before = [n for n in scorers if n.end - sentence.start <= anchor.start()]
            scorer = before[-1] if before else scorers[0]
            for name in scorers:  # "... laying the ball off for Lindqvist to score his second"
                following = anchors[k + 1].start() if k + 1 < len(anchors) else len(text)
                if anchor.start() < name.start - sentence.start < following and re.match(
                        r"\s+to\s+(?:score|head|fire|slot|tap)", text[name.end - sentence.start:]):
                    scorer = name
            own = [m for m in scores if _owner(m, anchors) is anchor]
            score = _nearest(own, anchor.start()) if minutes else anchor
            minute_text, minute_value = _minute(anchor) if minutes else ("", 0)
            goals.append(Goal(sentence.index, scorer, minute_text, minute_value,
                              f"{score.group(1)}:{score.group(2)}" if score else "", bool(_EQUALISER.search(stretch))))
    return goals


def _one_per_goal(anchors: list[re.Match]) -> list[re.Match]:
    """ "in der 24. Minute aus (23:14)": a minute and a game clock a few words apart are one goal."""
    out: list[re.Match] = []
    for anchor in anchors:
        if out and anchor.start() - out[-1].end() < 20 and bool(anchor.group(7)) != bool(out[-1].group(7)):
            continue
        out.append(anchor)
    return out


def _after_result(text: str, match: re.Match) -> bool:
    """ "4:2 (1:0, 1:2, 2:0)": periods of the result, not a game clock."""
    before = text[: match.start()]
    return bool(match.group(7)) and bool(re.search(r"\d\s?[-:]\s?\d+\s*$", before)) and not re.search(
        r"(?:zum|zur|mit\s+dem|to\s+make\s+it|for)\s+\d{1,2}\s?[-:]\s?\d{1,2}\s*$", before, re.IGNORECASE)


def _minute(match: re.Match) -> tuple[str, int]:
    if match.group(7):  # a game clock: the goal fell in the minute after it
        return match.group().strip("()"), int(match.group(7)) + 1
    value = next(int(g) for g in match.groups() if g)
    text = match.group().strip()
    text = re.sub(r"^(?:in\s+der|in\s+the|after|nach)\s+", "", text, flags=re.IGNORECASE)
    return text.strip("()"), value


def _owner(score: re.Match, anchors: list[re.Match]) -> re.Match:
    """The goal a score belongs to: the minute or game clock it stands nearest to ("zum 1:2 (30:05)")."""
    return min(anchors, key=lambda a: min(abs(score.start() - a.end()), abs(a.start() - score.end())))


def _nearest(scores: list[re.Match], position: int) -> re.Match | None:
    return min(scores, key=lambda m: abs(m.start() - position)) if scores else None


def _is_final_result(text: str, match: re.Match) -> bool:
    """ "mit 3:1 (1:1) gegen", "beating X 3-2", "a 2-0 win": the match's result, not a goal's score."""
    before = text[max(0, match.start() - 40): match.start()].lower()
    after = text[match.end(): match.end() + 12].lower()
    if re.search(r"(?:zum|zur|mit\s+dem|to\s+make\s+it)\s*$", before):
        return False  # "zum 1:2 (30:05)": the score a goal made
    return bool(re.search(r"\bmit\s*$|\bbeat(?:ing)?\s+(?:\S+\s+){0,3}$", before)  # "to beat Kingsford City 3-1"
                or re.match(r"\s*\(", after) or re.match(r"\s*(?:win|victory|sieg|niederlage|defeat|loss)", after))
