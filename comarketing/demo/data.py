"""The cast of the demo: partners, people and topics that read like a real partner program.

All names are invented; any resemblance to real companies is accidental.
"""

from __future__ import annotations

from dataclasses import dataclass

from comarketing.core.auth import Role


@dataclass(frozen=True)
class DemoPartner:
    name: str
    segment: str
    tier: str
    commission_rate: str
    weight: float  # how much traffic the partner drives, relative to the others
    email: str


PARTNERS = (
    DemoPartner("Интегратор Плюс", "amocrm", "gold", "0.50", 1.6, "hello@integrator-plus.example"),
    DemoPartner("СРМ Эксперт", "amocrm", "gold", "0.50", 1.4, "partners@crm-expert.example"),
    DemoPartner("Продажи под ключ", "amocrm", "silver", "0.45", 1.0, "info@prodazhi.example"),
    DemoPartner("Воронка Лаб", "amocrm", "silver", "0.45", 0.9, "team@voronka-lab.example"),
    DemoPartner("АмоМастер", "amocrm", "bronze", "0.40", 0.6, "mail@amomaster.example"),
    DemoPartner("Лидогенератор", "amocrm", "bronze", "0.40", 0.5, "go@lidogen.example"),
    DemoPartner("Битрикс Профи", "bitrix24", "gold", "0.50", 1.7, "sales@b24-profi.example"),
    DemoPartner("Автоматизация бизнеса", "bitrix24", "gold", "0.50", 1.3, "ab@avtobiz.example"),
    DemoPartner(
        "Корпоративный портал", "bitrix24", "silver", "0.45", 1.0, "hi@corp-portal.example"
    ),
    DemoPartner("Цифровой офис", "bitrix24", "silver", "0.45", 0.8, "office@cifra.example"),
    DemoPartner("Сибирский интегратор", "bitrix24", "bronze", "0.40", 0.6, "nsk@sib-int.example"),
    DemoPartner(
        "Решения для ритейла", "bitrix24", "bronze", "0.40", 0.5, "retail@resheniya.example"
    ),
)

SEGMENTS = ("amocrm", "bitrix24")

# (role, e-mail, partner index or None). All demo users share DEMO_PASSWORD.
DEMO_PASSWORD = "demo-password"  # noqa: S105 - printed by `make run` on purpose
USERS = (
    (Role.ADMIN, "admin@demo.comarketing.example", "Администратор", None),
    (Role.MARKETER, "marketer@demo.comarketing.example", "Мария Маркетова", None),
    (Role.MANAGER, "manager@demo.comarketing.example", "Михаил Управленцев", None),
    (Role.PARTNER, "partner@demo.comarketing.example", "Ирина Интеграторова", 0),
    (Role.PARTNER, "partner-b24@demo.comarketing.example", "Борис Битриксов", 6),
    (Role.PARTNER, "partner-silver@demo.comarketing.example", "Софья Серебрякова", 9),
)

# (name template, channel, landing path); {segment} is the segment's display name.
CAMPAIGNS = (
    ("Яндекс Директ: звонки из {segment}", "yandex_direct", "/integrations/{slug}"),
    ("VK Реклама: сквозная аналитика для {segment}", "vk_ads", "/analytics"),
    ("Рассылка партнёров: {segment} и телефония", "email", "/lp/partners-{slug}"),
    ("Telegram Ads: коллтрекинг в {segment}", "telegram_ads", "/calltracking"),
)

WEBINAR_TOPICS = (
    "Как не терять звонки в {segment}",
    "Сквозная аналитика: от клика до оплаты в {segment}",
    "Речевая аналитика для отдела продаж на {segment}",
    "Коллтрекинг и {segment}: считаем каждую заявку",
    "Автоматизация обзвона: сценарии для {segment}",
    "Контроль качества звонков менеджеров в {segment}",
)

FIRST_NAMES = (
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Юлия",
    "Екатерина",
    "Алексей",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Иван",
    "Михаил",
    "Павел",
    "Николай",
    "Артём",
    "Максим",
    "Владимир",
    "Егор",
    "Кирилл",
    "Роман",
)
LAST_NAMES = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
)
COMPANY_WORDS = (
    "Альфа",
    "Вектор",
    "Гранит",
    "Дельта",
    "Меридиан",
    "Орион",
    "Полюс",
    "Радуга",
    "Сфера",
    "Титан",
    "Урал",
    "Феникс",
    "Эталон",
    "Янтарь",
    "Байкал",
    "Восток",
    "Север",
    "Континент",
)
COMPANY_KINDS = ("Строй", "Трейд", "Логистик", "Мед", "Авто", "Недвижимость", "Софт", "Сервис")
EMAIL_DOMAINS = ("mail.example", "yandex.example", "corp.example", "inbox.example")

BOT_USER_AGENTS = (
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "TelegramBot (like TwitterBot)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0",
)
HUMAN_USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36 YaBrowser/24.6",
)
REFERRERS = (
    "https://yandex.ru/",
    "https://vk.com/",
    "https://t.me/",
    None,
    None,
)
LANDING_ORIGIN = "https://calltracker.example"
