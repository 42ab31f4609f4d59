"""Questions about the goals of a match: who scored (first, the equaliser, the winner, both goals), and when.

Reads the goal facts of `rag.facts.goals`; used by the answerer before the general readers, since a scorer's
sentence rarely repeats the question's words ("Who scored the opening goal?" - "Ferenczi köpfte zum 1:0 ein").
"""

from __future__ import annotations

import re

from .facts.goals import MINUTE, SCORE
from .knowledge import Knowledge, SentenceInfo
from .question import Question
from .records import Fact
from .support import MIN_SUPPORT, Reading, closest, question_slots, typed_window

_GOAL_QUESTION = re.compile(
    r"\b(?:scor(?:ed|er|ers|ing)|goals?|opener|equali[sz]\w*|netted|Tore?|Treffer|Torschütz\w*|Ausgleich\w*|"
    r"Siegtor\w*|Siegtreffer\w*|Führungstreffer|traf|trafen|getroffen|erzielte\w*|erzielt|try|tries|Versuch\w*)\b"
    r"|\b(?:who|wer)\s+scores\b",
    re.IGNORECASE,
)
# not about a goal of the match: the goalkeeper ("in goal", "im Tor"), a season's scoring list, a score line
_NOT_A_GOAL = re.compile(r"\bin\s+goal\b|\bim\s+tor\b|torschützenliste|top\s+scorer|leading\s+scorer|"
                         r"scoring\s+chart|\bscores\b(?!\s+(?:for|against|the|a|his|her))", re.IGNORECASE)
_FIRST = re.compile(r"\b(?:opening|first|opener|erste\w*|Führungstreffer|Führungstor)\b", re.IGNORECASE)
_WINNER = re.compile(r"\b(?:winning|winner|decisive|Siegtor\w*|Siegtreffer\w*|entscheidende\w*)\b", re.IGNORECASE)
_EQUALISER = re.compile(r"\b(?:equali[sz]\w*|level\w*|Ausgleich\w*)\b", re.IGNORECASE)
_TWICE = re.compile(r"\b(?:both|twice|two\s+goals|beide\w*|zweimal|doppelt\w*|zwei\s+Tore)\b", re.IGNORECASE)
_PLURAL = re.compile(r"\b(?:Tore|goals|Torschützen|scorers|players|Spieler|Treffer|tries|Versuche)\b", re.IGNORECASE)
_MINUTE = re.compile(r"\b(?:minute|Minute|Spielminute|time|Zeit|Spielzeit)\b|\bwhen\b|\bwann\b", re.IGNORECASE)


def read_goals(q: Question, scored: list[tuple[float, SentenceInfo]], knowledge: Knowledge) -> Reading | None:
    """The scorer(s) or minute(s) the question asks for, from the best-supported document's goals."""
    about_goal = _GOAL_QUESTION.search(q.text) or (SCORE.search(q.text) and _MINUTE.search(q.text))
    if q.kind not in ("person", "date", "which", "other") or not about_goal or _NOT_A_GOAL.search(q.text):
        return None
    goals = _goals_of_best_document(scored, knowledge)
    if not goals:
        return None
    selected = _select(q, goals, knowledge)
    if not selected:
        return None
    infos = [i for i in (knowledge.sentence(g.doc_id, g.sentence) for g in selected) if i is not None]
    support = {(info.sentence.doc_id, info.sentence.index): score for score, info in scored}
    best = max((support.get((g.doc_id, g.sentence), 0.0) for g in selected), default=0.0)
    confidence = max(best, MIN_SUPPORT + 0.1)  # the goal facts themselves are the evidence
    if _MINUTE.search(q.text) and q.kind != "person":
        minutes = [g.attrs["minute"] for g in selected if g.attrs["minute"]]
        return Reading(", ".join(dict.fromkeys(minutes)), infos, confidence, "goal-minute") if minutes else None
    if q.kind == "date":
        return None
    scorers = list(dict.fromkeys(g.attrs["scorer"] for g in selected))
    plural = q.plural or bool(_PLURAL.search(q.text)) or _for_team_asked(q)
    if not plural or _FIRST.search(q.text) or _EQUALISER.search(q.text) or _WINNER.search(q.text):
        scorers = scorers[:1]
    return Reading(", ".join(scorers), infos, confidence, "goal-scorer")


def _goals_of_best_document(scored, knowledge: Knowledge) -> list[Fact]:
    for _, info in scored:
        goals = [f for f in knowledge.index.facts.get(info.sentence.doc_id, []) if f.kind == "goal"]
        if goals:
            return sorted(goals, key=lambda g: g.attrs["order"])
    return []


def _select(q: Question, goals: list[Fact], knowledge: Knowledge) -> list[Fact]:
    text = q.text
    asked_score = SCORE.search(text)
    if asked_score:
        wanted = {f"{asked_score.group(1)}:{asked_score.group(2)}", f"{asked_score.group(2)}:{asked_score.group(1)}"}
        return [g for g in goals if g.attrs["score"] in wanted]  # "das 1:0"; none when this match had no such goal
    people = {knowledge.person(n) for n in q.names} - {None}
    scorers = {g.attrs["scorer"] for g in goals}
    if people & scorers:
        goals = [g for g in goals if g.attrs["scorer"] in people]
    else:
        goals = _for_team(q, goals, knowledge)
    if _EQUALISER.search(text):
        return [g for g in goals if g.attrs["equaliser"]][:1]
    if _FIRST.search(text):
        return goals[:1]
    if _WINNER.search(text):
        return _winning_goal(goals)
    if _TWICE.search(text):
        counts = {s: sum(1 for g in goals if g.attrs["scorer"] == s) for s in scorers}
        return [g for g in goals if counts.get(g.attrs["scorer"], 0) >= 2]
    return goals


def _for_team_asked(q: Question) -> bool:
    """ "Who scored for Kingsbridge?", "Wer traf für die Sturmvögel?": every scorer of that side."""
    return bool(re.search(r"\b(?:for|für)\s+(?:the\s+|die\s+|den\s+|das\s+)?[A-ZÄÖÜ]", q.text))


def _for_team(q: Question, goals: list[Fact], knowledge: Knowledge) -> list[Fact]:
    """ "for Kingsbridge": the goals whose scorer is introduced with the team's name, if any is."""
    teams = [n for n in q.names if knowledge.person(n) is None
             and knowledge.entity_kind.get(_entity(knowledge, n)) in ("organization", "name")]
    if not teams:
        return goals

    def context(goal: Fact) -> str:
        """The scorer's roles and the words just before the name ("Kaltenbrunns Kapitän Dominik Straub")."""
        info = knowledge.sentence(goal.doc_id, goal.sentence)
        before = info.sentence.text[max(0, goal.start - info.sentence.start - 40): goal.start - info.sentence.start] \
            if info else ""
        roles = " ".join(f.text for f in knowledge.roles.get(goal.attrs["scorer"], []))
        return f"{before} {roles}".lower()

    words = {w.lower() for team in teams for w in team.split() if len(w) > 3}
    named = [g for g in goals if any(w in context(g) for w in words)]
    return named or goals


def _entity(knowledge: Knowledge, name: str) -> str:
    entities = knowledge.aliases.get(name.lower(), set())
    return next(iter(sorted(entities)), name)


def _winning_goal(goals: list[Fact]) -> list[Fact]:
    """The goal after which the winner led for good, when the scores are given."""
    scores = [(g, tuple(int(x) for x in g.attrs["score"].split(":"))) for g in goals if g.attrs["score"]]
    if not scores:
        return []
    final = scores[-1][1]
    if final[0] == final[1]:
        return []
    leader = 0 if final[0] > final[1] else 1
    loser_total = final[1 - leader]
    return [g for g, s in scores if s[leader] == loser_total + 1][:1]


_ASKS_MINUTE = re.compile(r"\b(?:in\s+)?(?:which|what|welche[rnm]?)\s+(?:Spiel)?minute\b", re.IGNORECASE)


def read_minute(q: Question, scored: list[tuple[float, SentenceInfo]]) -> Reading | None:
    """ "In welcher Minute gab es den Platzverweis?", "In which minute did Rovers go ahead?": the minute of the
    best supported sentence that gives one (of several, the one nearest the question's words)."""
    if not _ASKS_MINUTE.search(q.text):
        return None
    slots = question_slots(q)
    for score, info in typed_window(scored):
        minutes = [Fact("minute", m.group().strip(), info.sentence.doc_id, info.sentence.index,
                        info.sentence.start + m.start(), info.sentence.start + m.end())
                   for m in MINUTE.finditer(info.sentence.text) if not re.fullmatch(r"\(\d+:\d+\)", m.group())]
        if minutes:
            return Reading(closest(minutes, info, slots).text, [info], score, "minute")
    return None
