"""Bots and people (contract §4): crawlers, link-preview fetchers, HEAD and an empty agent are
bots; real desktop and mobile browsers, in-app browsers of messengers and social apps
included, are people."""

from fractions import Fraction

import pytest
from crawleruseragents import CRAWLER_USER_AGENTS_DATA

from comarketing.links.bots import is_bot_request, is_bot_user_agent
from comarketing.links.redirect import USER_AGENT_LENGTH

BOTS = {
    "Googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "YandexBot": "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Bingbot": "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "AhrefsBot": "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "TelegramBot": "TelegramBot (like TwitterBot)",
    "WhatsApp": "WhatsApp/2.23.20.0 A",
    "facebookexternalhit": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Twitterbot": "Twitterbot/1.0",
    "vkShare": "Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)",
    "Discordbot": "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "LinkedInBot": "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "curl": "curl/8.4.0",
    "python-requests": "python-requests/2.31.0",
    "HeadlessChrome": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/120.0.0.0 Safari/537.36"
    ),
    "empty": "",
    "blank": "   ",
    # Counted as people before crawler-user-agents joined crawlerdetect (issue 17).
    "OpenGraph.io": (
        "Mozilla/5.0 (compatible; OpenGraph.io/1.1; +https://opengraph.io/ AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36"
    ),
    "Google-Safety": "Google-Safety",
    "Tumblr": "Tumblr/14.0.835.186",
    "Steam chat": "Valve/Steam HTTP Client 1.0 (SteamChatURLLookup)",
    "Viber": "Viber",
    "Meta-ExternalHit": (
        "Mozilla/5.0 (compatible; Meta-ExternalHit/1.1; "
        "+http://www.facebook.com/externalhit_uatext.php)"
    ),
    "Perplexity-User": (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Perplexity-User/1.0; "
        "+https://perplexity.ai/perplexity-user)"
    ),
}

BROWSERS = {
    "Chrome, Windows": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36"
    ),
    "Chrome, Android": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.6778.104 Mobile Safari/537.36"
    ),
    "Firefox, Windows": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    ),
    "Firefox, Android": "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
    "Safari, macOS": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Safari/605.1.15"
    ),
    "Safari, iPhone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
    ),
    "Edge, Windows": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
    ),
    "Edge, Android": (
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0"
    ),
    "Yandex Browser, Windows": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36"
    ),
    "Yandex Browser, Android": (
        "Mozilla/5.0 (Linux; arm_64; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/128.0.0.0 YaBrowser/24.10.4.86.00 SA/3 Mobile Safari/537.36"
    ),
    "Yandex Browser, iPhone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.6 YaBrowser/24.10.3.651.10 SA/3 Mobile/15E148 Safari/604.1"
    ),
    "Opera, Windows": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0"
    ),
    "Samsung Internet": (
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36"
    ),
    "Chrome, iPhone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CriOS/125.0.6422.80 Mobile/15E148 Safari/604.1"
    ),
    "Facebook app, iPhone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.33.103;FBBV/620000000;"
        "FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/ru_RU;FBOP/5]"
    ),
    "Instagram app": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 Instagram 330.0.3.12.235 (iPhone14,5; iOS 17_4; "
        "ru_RU; ru; scale=3.00; 1170x2532; 601542823)"
    ),
    "Telegram app, Android": (
        "Mozilla/5.0 (Linux; Android 13; 2201117TY Build/TKQ1.221114.001; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.179 Mobile Safari/537.36 "
        "Telegram-Android/10.12.0 (Xiaomi 2201117TY; Android 13; SDK 33; AVERAGE)"
    ),
    "VK app, Android": (
        "Mozilla/5.0 (Linux; Android 12; M2101K6G Build/SKQ1.210908.001; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 "
        "VKAndroidApp/8.77-17654 (Android 12; SDK 31; arm64-v8a; Xiaomi M2101K6G; ru; 2400x1080)"
    ),
    "Yandex app, Android": (
        "Mozilla/5.0 (Linux; arm_64; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.219 YaApp_Android/24.55.1 YaSearchBrowser/24.55.1 BroPP/1.0 SA/3 "
        "Mobile Safari/537.36"
    ),
    "LinkedIn app": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.8184"
    ),
}


@pytest.mark.parametrize("agent", BOTS.values(), ids=BOTS.keys())
def test_crawlers_and_preview_fetchers_are_bots(agent):
    assert is_bot_user_agent(agent)
    assert is_bot_request("GET", agent)


@pytest.mark.parametrize("agent", BROWSERS.values(), ids=BROWSERS.keys())
def test_real_browsers_are_people(agent):
    assert not is_bot_user_agent(agent)
    assert not is_bot_request("GET", agent)


@pytest.mark.parametrize("agent", BROWSERS.values(), ids=BROWSERS.keys())
def test_a_head_request_is_a_bot_whatever_its_agent(agent):
    assert is_bot_request("HEAD", agent)


def test_verdicts_are_cached_per_user_agent():
    is_bot_user_agent.cache_clear()
    agent = BROWSERS["Chrome, Windows"]
    for _ in range(3):
        is_bot_user_agent(agent)
    info = is_bot_user_agent.cache_info()
    assert (info.misses, info.hits) == (1, 2)


WATCHED_TAGS = {"search-engine", "social-preview", "ai-crawler"}


def test_the_crawler_list_of_search_engines_previews_and_ai_is_counted_as_bots():
    """Every example agent the ``crawler-user-agents`` list gives for its search engines,
    link-preview fetchers and AI crawlers (653 in version 1.67), cut to the stored length:
    at most 1 in 40 may pass as a person (7 of 40 well-known ones did before)."""
    agents = {
        agent[:USER_AGENT_LENGTH]
        for entry in CRAWLER_USER_AGENTS_DATA
        if WATCHED_TAGS & set(entry.get("tags", ()))
        for agent in entry.get("instances", ())
    }
    assert len(agents) > 300
    people = sorted(agent for agent in agents if not is_bot_user_agent(agent))
    assert Fraction(len(people), len(agents)) <= Fraction(1, 40), people
