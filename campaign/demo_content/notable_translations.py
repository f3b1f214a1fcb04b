"""The notable signatories' titles and their categories in the five languages beside
English, keyed by the English."""

NOTABLE_TRANSLATIONS: dict[str, dict[str, str]] = {
    "fr": {
        "Archbishop Emeritus, Nobel Peace Prize laureate": (
            "Archevêque émérite, lauréat du prix Nobel de la paix"
        ),
        "Former Director General of the IAEA, Nobel Peace Prize laureate": (
            "Ancien directeur général de l’AIEA, lauréat du prix Nobel de la paix"
        ),
        "Former President of the Soviet Union, Nobel Peace Prize laureate": (
            "Ancien président de l’Union soviétique, lauréat du prix Nobel de la paix"
        ),
        "Former President of Poland, Nobel Peace Prize laureate": (
            "Ancien président de la Pologne, lauréat du prix Nobel de la paix"
        ),
        "Former President of Colombia, Nobel Peace Prize laureate": (
            "Ancien président de la Colombie, lauréat du prix Nobel de la paix"
        ),
        "Former President of Mexico": "Ancien président du Mexique",
        "Former US Secretary of State": "Ancienne secrétaire d’État des États-Unis",
        "Former Minister of Foreign Affairs of Russia": (
            "Ancien ministre des Affaires étrangères de la Russie"
        ),
        "Former Secretary-General of the United Nations": (
            "Ancien secrétaire général des Nations unies"
        ),
        "Former UN High Commissioner for Human Rights": (
            "Ancien haut-commissaire des Nations unies aux droits de l’homme"
        ),
        "Former Director-General of the World Health Organization": (
            "Ancienne directrice générale de l’Organisation mondiale de la santé"
        ),
        "President of the International Committee of the Red Cross": (
            "Président du Comité international de la Croix-Rouge"
        ),
        "President of Microsoft": "Président de Microsoft",
        "CEO of Kaspersky": "Directeur général de Kaspersky",
        "President of the CyberPeace Institute": "Présidente du CyberPeace Institute",
        "CEO of the CyberPeace Institute": "Directeur général du CyberPeace Institute",
    },
    "es": {
        "Archbishop Emeritus, Nobel Peace Prize laureate": (
            "Arzobispo emérito, premio Nobel de la Paz"
        ),
        "Former Director General of the IAEA, Nobel Peace Prize laureate": (
            "Ex director general del OIEA, premio Nobel de la Paz"
        ),
        "Former President of the Soviet Union, Nobel Peace Prize laureate": (
            "Expresidente de la Unión Soviética, premio Nobel de la Paz"
        ),
        "Former President of Poland, Nobel Peace Prize laureate": (
            "Expresidente de Polonia, premio Nobel de la Paz"
        ),
        "Former President of Colombia, Nobel Peace Prize laureate": (
            "Expresidente de Colombia, premio Nobel de la Paz"
        ),
        "Former President of Mexico": "Expresidente de México",
        "Former US Secretary of State": "Ex secretaria de Estado de los Estados Unidos",
        "Former Minister of Foreign Affairs of Russia": (
            "Exministro de Asuntos Exteriores de Rusia"
        ),
        "Former Secretary-General of the United Nations": (
            "Ex secretario general de las Naciones Unidas"
        ),
        "Former UN High Commissioner for Human Rights": (
            "Ex alto comisionado de las Naciones Unidas para los Derechos Humanos"
        ),
        "Former Director-General of the World Health Organization": (
            "Ex directora general de la Organización Mundial de la Salud"
        ),
        "President of the International Committee of the Red Cross": (
            "Presidente del Comité Internacional de la Cruz Roja"
        ),
        "President of Microsoft": "Presidente de Microsoft",
        "CEO of Kaspersky": "Director ejecutivo de Kaspersky",
        "President of the CyberPeace Institute": "Presidenta del CyberPeace Institute",
        "CEO of the CyberPeace Institute": "Director ejecutivo del CyberPeace Institute",
    },
    "ar": {
        "Archbishop Emeritus, Nobel Peace Prize laureate": (
            "رئيس الأساقفة الفخري، حائز جائزة نوبل للسلام"
        ),
        "Former Director General of the IAEA, Nobel Peace Prize laureate": (
            "المدير العام السابق للوكالة الدولية للطاقة الذرية، حائز جائزة نوبل للسلام"
        ),
        "Former President of the Soviet Union, Nobel Peace Prize laureate": (
            "الرئيس السابق للاتحاد السوفياتي، حائز جائزة نوبل للسلام"
        ),
        "Former President of Poland, Nobel Peace Prize laureate": (
            "الرئيس السابق لبولندا، حائز جائزة نوبل للسلام"
        ),
        "Former President of Colombia, Nobel Peace Prize laureate": (
            "الرئيس السابق لكولومبيا، حائز جائزة نوبل للسلام"
        ),
        "Former President of Mexico": "الرئيس السابق للمكسيك",
        "Former US Secretary of State": "وزيرة خارجية الولايات المتحدة السابقة",
        "Former Minister of Foreign Affairs of Russia": "وزير خارجية روسيا السابق",
        "Former Secretary-General of the United Nations": "الأمين العام السابق للأمم المتحدة",
        "Former UN High Commissioner for Human Rights": (
            "مفوض الأمم المتحدة السامي لحقوق الإنسان السابق"
        ),
        "Former Director-General of the World Health Organization": (
            "المديرة العامة السابقة لمنظمة الصحة العالمية"
        ),
        "President of the International Committee of the Red Cross": (
            "رئيس اللجنة الدولية للصليب الأحمر"
        ),
        "President of Microsoft": "رئيس شركة مايكروسوفت",
        "CEO of Kaspersky": "الرئيس التنفيذي لشركة كاسبرسكي",
        "President of the CyberPeace Institute": "رئيسة معهد السلام السيبراني",
        "CEO of the CyberPeace Institute": "المدير التنفيذي لمعهد السلام السيبراني",
    },
    "zh": {
        "Archbishop Emeritus, Nobel Peace Prize laureate": "荣休大主教，诺贝尔和平奖得主",
        "Former Director General of the IAEA, Nobel Peace Prize laureate": (
            "国际原子能机构前总干事，诺贝尔和平奖得主"
        ),
        "Former President of the Soviet Union, Nobel Peace Prize laureate": (
            "苏联前总统，诺贝尔和平奖得主"
        ),
        "Former President of Poland, Nobel Peace Prize laureate": "波兰前总统，诺贝尔和平奖得主",
        "Former President of Colombia, Nobel Peace Prize laureate": (
            "哥伦比亚前总统，诺贝尔和平奖得主"
        ),
        "Former President of Mexico": "墨西哥前总统",
        "Former US Secretary of State": "美国前国务卿",
        "Former Minister of Foreign Affairs of Russia": "俄罗斯前外交部长",
        "Former Secretary-General of the United Nations": "联合国前秘书长",
        "Former UN High Commissioner for Human Rights": "联合国前人权事务高级专员",
        "Former Director-General of the World Health Organization": "世界卫生组织前总干事",
        "President of the International Committee of the Red Cross": "红十字国际委员会主席",
        "President of Microsoft": "微软总裁",
        "CEO of Kaspersky": "卡巴斯基首席执行官",
        "President of the CyberPeace Institute": "网络和平研究所主席",
        "CEO of the CyberPeace Institute": "网络和平研究所首席执行官",
    },
    "ru": {
        "Archbishop Emeritus, Nobel Peace Prize laureate": (
            "Почётный архиепископ, лауреат Нобелевской премии мира"
        ),
        "Former Director General of the IAEA, Nobel Peace Prize laureate": (
            "Бывший Генеральный директор МАГАТЭ, лауреат Нобелевской премии мира"
        ),
        "Former President of the Soviet Union, Nobel Peace Prize laureate": (
            "Бывший президент СССР, лауреат Нобелевской премии мира"
        ),
        "Former President of Poland, Nobel Peace Prize laureate": (
            "Бывший президент Польши, лауреат Нобелевской премии мира"
        ),
        "Former President of Colombia, Nobel Peace Prize laureate": (
            "Бывший президент Колумбии, лауреат Нобелевской премии мира"
        ),
        "Former President of Mexico": "Бывший президент Мексики",
        "Former US Secretary of State": "Бывший государственный секретарь США",
        "Former Minister of Foreign Affairs of Russia": "Бывший министр иностранных дел России",
        "Former Secretary-General of the United Nations": (
            "Бывший Генеральный секретарь Организации Объединённых Наций"
        ),
        "Former UN High Commissioner for Human Rights": (
            "Бывший Верховный комиссар ООН по правам человека"
        ),
        "Former Director-General of the World Health Organization": (
            "Бывший Генеральный директор Всемирной организации здравоохранения"
        ),
        "President of the International Committee of the Red Cross": (
            "Президент Международного комитета Красного Креста"
        ),
        "President of Microsoft": "Президент Microsoft",
        "CEO of Kaspersky": "Генеральный директор «Лаборатории Касперского»",
        "President of the CyberPeace Institute": "Председатель CyberPeace Institute",
        "CEO of the CyberPeace Institute": "Генеральный директор CyberPeace Institute",
    },
}

CATEGORY_TRANSLATIONS: dict[str, dict[str, str]] = {
    "fr": {
        "Nobel Peace Prize laureate": "Lauréats du prix Nobel de la paix",
        "Former head of state or government": "Anciens chefs d’État ou de gouvernement",
        "Former ministers and officials": "Anciens ministres et hauts responsables",
        "International organisations": "Organisations internationales",
        "Industry": "Entreprises",
        "Civil society": "Société civile",
    },
    "es": {
        "Nobel Peace Prize laureate": "Premios Nobel de la Paz",
        "Former head of state or government": "Antiguos jefes de Estado o de Gobierno",
        "Former ministers and officials": "Exministros y altos cargos",
        "International organisations": "Organizaciones internacionales",
        "Industry": "Empresas",
        "Civil society": "Sociedad civil",
    },
    "ar": {
        "Nobel Peace Prize laureate": "الحائزون جائزة نوبل للسلام",
        "Former head of state or government": "رؤساء دول أو حكومات سابقون",
        "Former ministers and officials": "وزراء ومسؤولون سابقون",
        "International organisations": "المنظمات الدولية",
        "Industry": "القطاع الخاص",
        "Civil society": "المجتمع المدني",
    },
    "zh": {
        "Nobel Peace Prize laureate": "诺贝尔和平奖得主",
        "Former head of state or government": "前国家元首或政府首脑",
        "Former ministers and officials": "前部长和高级官员",
        "International organisations": "国际组织",
        "Industry": "业界",
        "Civil society": "民间社会",
    },
    "ru": {
        "Nobel Peace Prize laureate": "Лауреаты Нобелевской премии мира",
        "Former head of state or government": "Бывшие главы государств и правительств",
        "Former ministers and officials": "Бывшие министры и высокопоставленные должностные лица",
        "International organisations": "Международные организации",
        "Industry": "Частный сектор",
        "Civil society": "Гражданское общество",
    },
}


# Governments the demo call addresses: the body written to, contacts (example.org only),
# a postal address, the letter's languages (the first preferred) and a threshold.
