"""The model as a judge: the probability of a one-token "yes" that the sources, or a proposed
answer, answer the question.

The judge's prompt repeats the answer prompt's system message, sources and question word for
word and only then asks, so a server that caches prompt prefixes (llama.cpp does) prefills
just the last few dozen tokens. The probability is read from the first token's
log-probabilities; an endpoint without them gives 1.0 for "yes", 0.0 for "no".
"""

from __future__ import annotations

import math

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage

from bot.answer.prompts import chat_prompt

YES = frozenset({"yes", "có", "oui", "co"})
NO = frozenset({"no", "không", "non", "khong"})
TOP_LOGPROBS = 10


def yes_probability(reply: AIMessage) -> float:
    """P(yes) over P(yes) + P(no) on the first token, from its top log-probabilities."""
    logprobs = (reply.response_metadata.get("logprobs") or {}).get("content") or []
    if not logprobs:
        word = str(reply.content).strip().lower().rstrip(".!")
        return 1.0 if word in YES else 0.0
    yes = no = 0.0
    for option in logprobs[0].get("top_logprobs") or [logprobs[0]]:
        word = option["token"].strip().lower()
        if word in YES:
            yes += math.exp(option["logprob"])
        elif word in NO:
            no += math.exp(option["logprob"])
    return yes / (yes + no) if yes + no > 0 else 0.0


def judge(llm: BaseChatModel, inputs: dict[str, str], candidate: str = "") -> float:
    """P(yes): do the sources answer the question (no `candidate`), or does `candidate`?"""
    tail = "judge_candidate" if candidate else "judge_sources"
    bound = llm.bind(logprobs=True, top_logprobs=TOP_LOGPROBS, max_tokens=1)
    reply = (chat_prompt(tail) | bound).invoke({**inputs, "candidate": candidate})
    return yes_probability(reply)
