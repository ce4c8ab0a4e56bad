"""What the demo data is made of: teams, staff, names in four scripts, companies, streets
and the everyday events of a cake shop and a web agency. Pure data; demo.py builds rows."""

from __future__ import annotations

from dataclasses import dataclass

from hamkor.accounts.models import Role
from hamkor.activities.models import Channel, Direction, Outcome
from hamkor.contacts.models import Language, Stage

TASHKENT = "Asia/Tashkent"
BISHKEK = "Asia/Bishkek"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    team: str


@dataclass(frozen=True)
class Region:
    """Where a team works: its cities, phone prefixes, time zone and money."""

    team: str
    country_code: str
    prefixes: tuple[str, ...]
    cities: tuple[str, ...]
    time_zone: str
    currencies: tuple[str, ...]
    # Name pools and their weights for customers of this team.
    pools: tuple[tuple[str, int], ...]


TEAMS = ("Tashkent shop", "Samarkand branch", "Bishkek agency")

USERS = (
    DemoUser("dilnoza", "Dilnoza", "Rashidova", Role.MANAGER, "Tashkent shop"),
    DemoUser("jasur", "Jasur", "Aliyev", Role.SALES, "Tashkent shop"),
    DemoUser("bekzod", "Bekzod", "Sobirov", Role.SALES, "Samarkand branch"),
    DemoUser("rustam", "Rustam", "Asanov", Role.MANAGER, "Bishkek agency"),
    DemoUser("aigerim", "Aigerim", "Toktogulova", Role.SALES, "Bishkek agency"),
    DemoUser("malika", "Malika", "Yusupova", Role.SUPPORT, "Tashkent shop"),
    DemoUser("nodira", "Nodira", "Qodirova", Role.FINANCE, "Tashkent shop"),
)

REGIONS = (
    Region(
        team="Tashkent shop",
        country_code="998",
        prefixes=("90", "91", "93", "94", "95", "97", "98", "99", "33", "88"),
        cities=("Tashkent", "Tashkent", "Tashkent", "Chirchiq", "Nurafshon"),
        time_zone=TASHKENT,
        currencies=("UZS", "UZS", "UZS", "USD"),
        pools=(("uz_latin", 5), ("uz_cyrillic", 2), ("ru", 3), ("en", 1)),
    ),
    Region(
        team="Samarkand branch",
        country_code="998",
        prefixes=("90", "91", "93", "94", "97", "99", "33"),
        cities=("Samarkand", "Samarkand", "Bukhara", "Navoiy", "Urgut"),
        time_zone=TASHKENT,
        currencies=("UZS", "UZS", "UZS", "USD"),
        pools=(("uz_latin", 6), ("uz_cyrillic", 3), ("ru", 1)),
    ),
    Region(
        team="Bishkek agency",
        country_code="996",
        prefixes=("500", "550", "555", "700", "705", "707", "770", "775", "777", "990", "999"),
        cities=("Bishkek", "Bishkek", "Bishkek", "Osh", "Karakol", "Jalal-Abad"),
        time_zone=BISHKEK,
        currencies=("KGS", "KGS", "USD"),
        pools=(("ky", 5), ("ky_latin", 1), ("ru", 3), ("en", 1)),
    ),
)


@dataclass(frozen=True)
class NamePool:
    """First names and surnames of one language and script; female surnames add a suffix."""

    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    language: str
    female_suffix: str = ""
    # Surnames that are the same for women (Korean diaspora: Ким, Пак, Цой).
    unchanged: frozenset[str] = frozenset()
    # (male, female) patronymics, for Russian names.
    patronymics: tuple[tuple[str, str], ...] = ()


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


NAMES: dict[str, NamePool] = {
    "uz_latin": NamePool(
        female=_words(
            "Dilnoza Malika Nigora Gulnora Shahnoza Zarina Madina Feruza Kamola Sevara "
            "Oʻgʻiloy Munisa Dildora Mohira Gulchehra Barno"
        ),
        male=_words(
            "Jasur Sardor Bekzod Otabek Aziz Sherzod Rustam Ulugʻbek Javohir Doniyor Farrux "
            "Temur Akmal Bobur Shoxrux Islom"
        ),
        surnames=_words(
            "Karimov Rahimov Yusupov Tursunov Abdullayev Ismoilov Xolmatov Nazarov Sobirov "
            "Qodirov Mirzayev Usmonov Ergashev Haydarov Toshmatov Saidov Nurmatov Hasanov"
        ),
        language=Language.UZ,
        female_suffix="a",
    ),
    "uz_cyrillic": NamePool(
        female=_words(
            "Дилноза Малика Нигора Гулнора Шаҳноза Зарина Мадина Феруза Камола Севара Муниса "
            "Дилдора Моҳира"
        ),
        male=_words(
            "Жасур Сардор Бекзод Отабек Азиз Шерзод Улуғбек Жавоҳир Дониёр Фаррух Темур Акмал Бобур"
        ),
        surnames=_words(
            "Каримов Раҳимов Юсупов Турсунов Абдуллаев Исмоилов Холматов Назаров Собиров "
            "Қодиров Мирзаев Усмонов Эргашев Ҳайдаров"
        ),
        language=Language.UZ,
        female_suffix="а",
    ),
    "ru": NamePool(
        female=_words(
            "Анна Елена Ольга Наталья Татьяна Ирина Светлана Мария Екатерина Юлия Людмила Вера"
        ),
        male=_words(
            "Дмитрий Сергей Алексей Андрей Игорь Михаил Владимир Николай Павел Виктор Евгений Олег"
        ),
        surnames=_words(
            "Иванов Смирнов Кузнецов Попов Петров Соколов Лебедев Морозов Волков Фёдоров "
            "Новиков Ким Пак Цой"
        ),
        language=Language.RU,
        female_suffix="а",
        unchanged=frozenset(_words("Ким Пак Цой")),
        patronymics=(
            ("Сергеевич", "Сергеевна"),
            ("Александрович", "Александровна"),
            ("Владимирович", "Владимировна"),
            ("Николаевич", "Николаевна"),
            ("Викторович", "Викторовна"),
        ),
    ),
    "ky": NamePool(
        female=_words(
            "Айгуль Айжан Гульнара Жылдыз Назгуль Бермет Динара Асель Чолпон Айпери Нургуль Элиза"
        ),
        male=_words("Айбек Нурлан Бакыт Эрлан Азамат Улан Марат Чынгыз Таалай Бектур Эмил Адилет"),
        surnames=_words(
            "Осмонов Асанов Токтогулов Жумабаев Мамытов Сыдыков Абдыкадыров Бекмуратов "
            "Турдубаев Алымкулов Шаршеев Эсенбаев"
        ),
        language=Language.KY,
        female_suffix="а",
    ),
    "ky_latin": NamePool(
        female=_words("Aigul Aizhan Jyldyz Nazgul Bermet Asel Cholpon Aiperi"),
        male=_words("Nurlan Bakyt Ermek Azamat Ulan Chyngyz Talant Emil"),
        surnames=_words("Asanov Toktogulov Zhumabaev Mamytov Sydykov Bekmuratov Kasymov"),
        language=Language.KY,
        female_suffix="a",
    ),
    "en": NamePool(
        female=_words("Emma Sarah Laura Hannah Julia Sofia"),
        male=_words("John David Thomas Daniel Lukas Mark"),
        surnames=_words("Miller Schmidt Brown Wilson Becker Taylor Meyer"),
        language=Language.EN,
    ),
}

STREETS = {
    "Tashkent shop": [
        "Amir Temur ko'chasi {n}",
        "Chilonzor {n}-kvartal, {m}-uy",
        "Yunusobod {n}-mavze, {m}-uy",
        "ул. Мустакиллик, {n}",
        "Shota Rustaveli ko'chasi {n}",
    ],
    "Samarkand branch": [
        "Registon ko'chasi {n}",
        "Dagbitskaya ko'chasi {n}",
        "ул. Гагарина, {n}",
        "Mirzo Ulug'bek ko'chasi {n}",
    ],
    "Bishkek agency": [
        "пр. Чуй, {n}",
        "ул. Киевская, {n}",
        "мкр. Джал, {n}-{m}",
        "Manas Ave {n}",
        "ул. Токтогула, {n}",
    ],
}

COMPANIES = {
    "Tashkent shop": [
        "Bahor Textile",
        "Navro'z Catering",
        "Ipak Yo'li Travel",
        "Oltin Bug'doy",
        "Mehr Clinic",
        "Sharq Mebel",
        "Nur Print",
        "Kamalak Events",
        "Orzu To'yxonasi",
        "Tong Logistics",
        "Ziyo Books",
        "Baraka Foods",
        "ООО «Восток Трейд»",
        "Yangi Avlod School",
        "Lola Beauty",
    ],
    "Samarkand branch": [
        "Registon Savdo",
        "Zarafshon Agro",
        "Buxoro Silk",
        "Afrosiyob Hotel",
        "Samarqand Non",
        "Farg'ona Ceramics",
        "Alpomish Sport",
        "Ko'k Saroy Restaurant",
    ],
    "Bishkek agency": [
        "Ala-Too Digital",
        "Issyk-Kul Resort",
        "Tunduk Media",
        "Sary-Chelek Tours",
        "Kench Coffee",
        "Bishkek Build",
        "Osh Bazar Trade",
        "Tian-Shan Logistics",
        "Ak-Keme Events",
        "Kyzyl-Too Dairy",
        "Chui Agro",
        "Jibek Jolu Textiles",
        "Nomad Apps",
        "ОсОО «Бакай Строй»",
        "Dordoi Wholesale",
        "Eki Dental",
        "Zhashyl Tech",
    ],
}

SOURCE_WEIGHTS = {
    "Walk-in": 5,
    "Instagram": 5,
    "Referral": 4,
    "Telegram": 4,
    "Banner": 2,
    "Website": 3,
    "Facebook": 1,
}
TAGS = ("VIP", "wholesale", "birthday cakes", "corporate", "newsletter", "sugar-free", "SMM")
STAGE_WEIGHTS: dict[str, int] = {
    Stage.LEAD: 20,
    Stage.PROSPECT: 15,
    Stage.CUSTOMER: 40,
    Stage.LOYAL: 20,
    Stage.CHURNED: 5,
}
FAVOURITES = (
    "Napoleon",
    "Medovik",
    "Chak-chak",
    "Cheesecake",
    "Tiramisu",
    "Red velvet",
    "Pistachio roll",
    "Samsa",
)
CONTACT_TIMES = ("morning", "afternoon", "evening")
INDUSTRIES = ("Retail", "Food", "Tourism", "IT", "Construction", "Health", "Education")
NOTES = (
    "Prefers cakes without nuts.",
    "Orders for the office every Friday.",
    "Pays by card only.",
    "Call after 18:00, works in the daytime.",
    "Speaks Russian better than Uzbek.",
    "Asked to be reminded before Navruz.",
    "Needs an invoice with VAT.",
    "",
    "",
    "",
)

# (channel, direction, subject, outcome, weight): what a day at a shop or an agency produces.
SHOP_EVENTS: tuple[tuple[str, str, str, str, int], ...] = (
    (Channel.VISIT, Direction.IN, "Bought a birthday cake", Outcome.SUCCESSFUL, 8),
    (Channel.VISIT, Direction.IN, "Picked up the pre-ordered cake", Outcome.SUCCESSFUL, 5),
    (Channel.VISIT, Direction.IN, "Tasting for a wedding cake", Outcome.FOLLOW_UP, 2),
    (Channel.PHONE, Direction.IN, "Asked about delivery to Chilonzor", Outcome.SUCCESSFUL, 3),
    (Channel.PHONE, Direction.OUT, "Order is ready for pick-up", Outcome.SUCCESSFUL, 4),
    (Channel.PHONE, Direction.OUT, "Order is ready for pick-up", Outcome.NO_ANSWER, 2),
    (Channel.PHONE, Direction.OUT, "Offered the new pistachio roll", Outcome.UNSUCCESSFUL, 2),
    (Channel.TELEGRAM, Direction.IN, "Sent a photo of the cake she wants", Outcome.FOLLOW_UP, 4),
    (Channel.TELEGRAM, Direction.OUT, "Sent the price list", Outcome.SUCCESSFUL, 4),
    (Channel.TELEGRAM, Direction.OUT, "Order confirmation", Outcome.SUCCESSFUL, 3),
    (Channel.SMS, Direction.OUT, "Birthday greeting with a 10% discount", Outcome.SUCCESSFUL, 3),
    (Channel.SMS, Direction.OUT, "Navruz offer: sumalak and sweets", Outcome.SUCCESSFUL, 2),
    (Channel.SOCIAL, Direction.IN, "Instagram: asked for prices", Outcome.FOLLOW_UP, 3),
    (Channel.EMAIL, Direction.OUT, "Invoice for the corporate order", Outcome.SUCCESSFUL, 1),
    (Channel.WEB, Direction.IN, "Pre-ordered a cake on the website", Outcome.SUCCESSFUL, 2),
)
AGENCY_EVENTS: tuple[tuple[str, str, str, str, int], ...] = (
    (Channel.WEB, Direction.IN, "Filled the contact form: new website", Outcome.FOLLOW_UP, 3),
    (Channel.PHONE, Direction.OUT, "Discovery call", Outcome.SUCCESSFUL, 4),
    (Channel.PHONE, Direction.OUT, "Follow-up on the proposal", Outcome.NO_ANSWER, 2),
    (Channel.PHONE, Direction.IN, "Asked to move the launch date", Outcome.SUCCESSFUL, 2),
    (Channel.VISIT, Direction.IN, "Kick-off meeting at our office", Outcome.SUCCESSFUL, 3),
    (Channel.VISIT, Direction.OUT, "Design review at the client's office", Outcome.FOLLOW_UP, 2),
    (Channel.EMAIL, Direction.OUT, "Proposal: website and SMM package", Outcome.FOLLOW_UP, 4),
    (Channel.EMAIL, Direction.IN, "Sent the brief and the brand book", Outcome.SUCCESSFUL, 3),
    (Channel.EMAIL, Direction.OUT, "Invoice for March hours", Outcome.SUCCESSFUL, 2),
    (Channel.TELEGRAM, Direction.IN, "Approved the homepage mock-up", Outcome.SUCCESSFUL, 3),
    (Channel.TELEGRAM, Direction.OUT, "Sent the staging link", Outcome.SUCCESSFUL, 3),
    (Channel.SMS, Direction.OUT, "Reminder: meeting tomorrow at 11:00", Outcome.SUCCESSFUL, 1),
    (Channel.SOCIAL, Direction.IN, "LinkedIn: asked about a mobile app", Outcome.UNSUCCESSFUL, 1),
)
BODIES = (
    "",
    "",
    "Wants it delivered before 17:00.",
    "Asked for a discount; offered 5% for prepayment.",
    "Tort uchun rahmat, juda mazali edi!",
    "Перезвонить в понедельник.",
    "Budget is limited; will decide next week.",
    "Рахмат, баары жакшы.",
)

UZ_PHONE_DUPLICATE = "+998901234567"
# (first, last) of the planted duplicates, in every spelling used.
PLANTED_NAMES = (
    ("Dilnoza", "Karimova"),
    ("Nigora", "Rahimova"),
    ("Nigora", "Raximova"),
    ("Aibek", "Osmonov"),
    ("Айбек", "Осмонов"),
    ("Sherzod", "Yusupov"),
)
