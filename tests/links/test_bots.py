"""Bots and people (contract §4): crawlers, link-preview fetchers, HEAD and an empty agent are
bots; real desktop and mobile browsers are people."""

import pytest

from comarketing.links.bots import is_bot_request, is_bot_user_agent

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
