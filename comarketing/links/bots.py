"""Which requests to ``/r/<code>`` are bots: crawlers, link-preview fetchers, HEAD requests.

Bots are still redirected (a preview must work) but their clicks are stored with
``is_bot=True`` and never count as human clicks or touchpoints. Two well-kept lists judge the
user agent: crawlerdetect's and the ``crawler-user-agents`` project's (≈1,500 patterns: search
engines, preview fetchers of messengers and social networks, AI crawlers, monitors); either
one is enough. Verdicts are cached per user agent: the same few hundred agents make nearly all
requests, and both lists are big regexes.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from crawlerdetect import CrawlerDetect
from crawleruseragents import CRAWLER_USER_AGENTS_DATA

# Fetchers that unfurl a pasted link in a messenger or social network. crawlerdetect knows
# most of them; naming them here keeps the rule explicit should its list ever change.
LINK_PREVIEW_PATTERN = re.compile(
    r"TelegramBot|WhatsApp/|facebookexternalhit|Facebot|meta-externalagent|Slackbot|"
    r"Slack-ImgProxy|Twitterbot|LinkedInBot|Discordbot|vkShare|SkypeUriPreview|redditbot|"
    r"Pinterestbot|Embedly|Iframely|Google-PageRenderer|YandexBot|Applebot|Bytespider",
    re.IGNORECASE,
)

CACHE_SIZE = 8192
_detector = CrawlerDetect()


@cache
def crawler_list_pattern() -> re.Pattern[str]:
    """The ``crawler-user-agents`` patterns as one regex (case-sensitive, as the list is
    written), compiled on first use (about 40 ms)."""
    return re.compile("|".join(entry["pattern"] for entry in CRAWLER_USER_AGENTS_DATA))


@lru_cache(maxsize=CACHE_SIZE)
def is_bot_user_agent(user_agent: str) -> bool:
    """True for an empty user agent, a link-preview fetcher, or a crawler that crawlerdetect
    or the ``crawler-user-agents`` list knows.

    Callers pass the agent already cut to the stored length (512), which also bounds the
    memory of the cache.
    """
    agent = user_agent.strip()
    if not agent:
        return True
    if LINK_PREVIEW_PATTERN.search(agent):
        return True
    return bool(_detector.is_crawler(agent)) or crawler_list_pattern().search(agent) is not None


def is_bot_request(method: str, user_agent: str) -> bool:
    """A ``HEAD`` request never comes from a person following a link; else judge the agent."""
    return method == "HEAD" or is_bot_user_agent(user_agent)
