"""The report that followed the call (a demo publication with sample PDFs) and the panel
discussion that launched it (a demo event), in the six languages."""

PUBLICATION: dict = {
    "slug": "playing-with-lives",
    "language": "en",
    "published_on": "2021-03-09",
}

PUBLICATION_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Playing with Lives: Cyberattacks on Healthcare are Attacks on People",
        "summary_markdown": (
            "The CyberPeace Institute's first strategic analysis report looks at what "
            "cyberattacks on hospitals and health services do to people: patients whose care "
            "is delayed, staff who work without their systems, and a public that loses trust.\n\n"
            "It gathers evidence that was scattered until now (testimonies of those affected, "
            "security reporting, the work of volunteers and research) on ransomware, "
            "disinformation and espionage linked to COVID-19. It describes who attacks and "
            "why, explains why national and international rules are hard to enforce, shows how "
            "little is spent on securing healthcare, and notes that attacks are under-reported, "
            "rarely attributed and seldom punished.\n\n"
            "Its message to governments: take away the rewards that criminals and hostile "
            "states reap from attacking healthcare.\n\n"
            "*Demo: the file offered below is a generated sample, not the real report.*"
        ),
        "cover_alt": "",
    },
    "fr": {
        "title": "Playing with Lives : les cyberattaques contre la santé sont des attaques "
        "contre les personnes",
        "summary_markdown": (
            "Le premier rapport d’analyse stratégique du CyberPeace Institute examine ce que "
            "les cyberattaques contre les hôpitaux et les services de santé font aux "
            "personnes : des patients dont les soins sont retardés, un personnel privé de ses "
            "systèmes, une population qui perd confiance.\n\n"
            "Il rassemble des informations jusque-là éparses (témoignages des victimes, "
            "rapports de sécurité, travail de bénévoles, recherche) sur les rançongiciels, la "
            "désinformation et l’espionnage liés à la COVID-19. Il décrit qui attaque et "
            "pourquoi, explique pourquoi les normes nationales et internationales sont "
            "difficiles à appliquer, montre le manque de moyens consacrés à la sécurité de la "
            "santé et relève que les attaques sont peu signalées, rarement attribuées et "
            "presque jamais punies.\n\n"
            "Son message aux gouvernements : supprimer les gains que criminels et États "
            "hostiles tirent des attaques contre la santé.\n\n"
            "*Démonstration : le fichier proposé ci-dessous est un exemple généré, pas le "
            "vrai rapport.*"
        ),
        "cover_alt": "",
    },
    "es": {
        "title": "Playing with Lives: los ciberataques contra la salud son ataques contra "
        "las personas",
        "summary_markdown": (
            "El primer informe de análisis estratégico del CyberPeace Institute estudia lo que "
            "los ciberataques contra hospitales y servicios de salud causan a las personas: "
            "pacientes cuya atención se retrasa, personal que trabaja sin sus sistemas y una "
            "población que pierde la confianza.\n\n"
            "Reúne información hasta ahora dispersa (testimonios de las víctimas, informes de "
            "seguridad, trabajo de voluntarios e investigación) sobre el ransomware, la "
            "desinformación y el espionaje vinculados a la COVID-19. Describe quién ataca y "
            "por qué, explica por qué las normas nacionales e internacionales son difíciles de "
            "aplicar, muestra los pocos recursos dedicados a la seguridad sanitaria y señala "
            "que los ataques se denuncian poco, rara vez se atribuyen y casi nunca se "
            "castigan.\n\n"
            "Su mensaje a los gobiernos: eliminar los beneficios que obtienen los delincuentes "
            "y los Estados hostiles al atacar la salud.\n\n"
            "*Demostración: el archivo que se ofrece abajo es un ejemplo generado, no el "
            "informe real.*"
        ),
        "cover_alt": "",
    },
    "ar": {
        "title": "اللعب بالأرواح: الهجمات السيبرانية على الرعاية الصحية هجمات على الناس",
        "summary_markdown": (
            "يتناول أول تقرير للتحليل الاستراتيجي يصدره معهد CyberPeace ما تُلحقه الهجمات "
            "السيبرانية على المستشفيات والخدمات الصحية بالناس: مرضى تتأخر رعايتهم، وعاملون "
            "يعملون من دون أنظمتهم، وجمهور يفقد ثقته.\n\n"
            "ويجمع التقرير معلومات كانت متفرقة حتى الآن (شهادات المتضررين، وتقارير أمنية، "
            "وعمل المتطوعين، والبحوث) عن برمجيات الفدية والتضليل والتجسس المرتبط بجائحة "
            "كوفيد-19. ويصف من يهاجم ولماذا، ويشرح صعوبة تطبيق القواعد الوطنية والدولية، "
            "ويبيّن قلة الموارد المخصصة لأمن الرعاية الصحية، ويلاحظ أن الهجمات قلّما يُبلَّغ "
            "عنها أو تُنسب إلى مرتكبيها أو يُعاقَب عليها.\n\n"
            "ورسالته إلى الحكومات: حرمان المجرمين والدول المعادية من المكاسب التي يجنونها من "
            "مهاجمة الرعاية الصحية.\n\n"
            "*عرض توضيحي: الملف المعروض أدناه نموذج مُنشأ آليًا، وليس التقرير الحقيقي.*"
        ),
        "cover_alt": "",
    },
    "zh": {
        "title": "拿生命当儿戏：针对医疗卫生的网络攻击就是对人的攻击",
        "summary_markdown": (
            "这是网络和平研究所（CyberPeace Institute）的第一份战略分析报告，探讨针对医院和"
            "卫生服务的网络攻击给人们带来的后果：患者的治疗被延误，医护人员失去系统支持，"
            "公众失去信任。\n\n"
            "报告汇集了此前分散的信息（受害者证词、安全报告、志愿者工作和研究），涉及勒索软件、"
            "虚假信息以及与新冠肺炎相关的间谍活动。报告说明了谁在发动攻击及其动机，解释了为何"
            "国内和国际规范难以执行，指出医疗卫生安全投入不足，并指出攻击很少被报告、很少被"
            "归因，也很少受到惩罚。\n\n"
            "报告向各国政府传达的信息是：让攻击医疗卫生的犯罪分子和敌对国家无利可图。\n\n"
            "*演示：下方提供的文件是自动生成的样本，并非真实报告。*"
        ),
        "cover_alt": "",
    },
    "ru": {
        "title": "Игра с жизнями: кибератаки на здравоохранение — это атаки на людей",
        "summary_markdown": (
            "Первый доклад стратегического анализа Института CyberPeace рассматривает, что "
            "кибератаки на больницы и службы здравоохранения делают с людьми: пациенты ждут "
            "помощи дольше, персонал работает без своих систем, общество теряет доверие.\n\n"
            "В докладе собраны разрозненные до сих пор сведения (свидетельства пострадавших, "
            "отчёты о безопасности, работа добровольцев, исследования) о программах-вымогателях, "
            "дезинформации и шпионаже, связанных с COVID-19. В нём описано, кто атакует и "
            "почему, объяснено, почему национальные и международные нормы трудно применять, "
            "показано, как мало средств выделяется на защиту здравоохранения, и отмечено, что "
            "об атаках редко сообщают, их редко атрибутируют и почти никогда не наказывают.\n\n"
            "Его призыв к правительствам: лишить преступников и враждебные государства выгоды "
            "от атак на здравоохранение.\n\n"
            "*Демонстрация: файл ниже — сгенерированный образец, а не настоящий доклад.*"
        ),
        "cover_alt": "",
    },
}

# The first line of each sample PDF, in its language.
PUBLICATION_SAMPLE_NOTICE: dict[str, str] = {
    "en": "Sample — not the real report",
    "fr": "Exemple — ce n’est pas le vrai rapport",
    "es": "Ejemplo — no es el informe real",
    "ar": "نموذج، وليس التقرير الحقيقي",
    "zh": "样本——并非真实报告",
    "ru": "Образец — не настоящий доклад",
}


# -- the demo's event (campaign.events, ``flask events seed-demo``) ----------------------
# A panel discussion on the call's follow-up report, a few weeks after the demo is seeded,
# online, with three places so the waiting list shows at once. Clearly a demonstration:
# the event page says so, and the link goes nowhere.
EVENT_SLUG = "panel-playing-with-lives"
EVENT_ONLINE_URL = "https://meet.example/demo"
EVENT_TEXT: dict[str, tuple[str, str]] = {
    "en": (
        "Panel discussion: “Playing with Lives” (demonstration)",
        "**A demonstration event: it will not take place.**\n\n"
        "Panellists discuss the report *Playing with Lives: Cyberattacks on Healthcare are "
        "Attacks on People*: what ransomware and disinformation do to patients and medical "
        "staff, why those behind such attacks are so rarely held to account, and what "
        "governments, companies and civil society can each do to protect care.\n\n"
        "Questions from the audience are welcome. The discussion is held in English, with "
        "questions taken in French too.",
    ),
    "fr": (
        "Table ronde : « Playing with Lives » (démonstration)",
        "**Un événement de démonstration : il n’aura pas lieu.**\n\n"
        "Les intervenants discutent du rapport *Playing with Lives: Cyberattacks on "
        "Healthcare are Attacks on People* : ce que les rançongiciels et la désinformation "
        "font aux patients et au personnel soignant, pourquoi les auteurs de ces attaques "
        "en répondent si rarement, et ce que gouvernements, entreprises et société civile "
        "peuvent faire, chacun, pour protéger les soins.\n\n"
        "Les questions du public sont bienvenues. La discussion a lieu en anglais ; les "
        "questions en français sont acceptées.",
    ),
    "es": (
        "Mesa redonda: «Playing with Lives» (demostración)",
        "**Un evento de demostración: no se celebrará.**\n\n"
        "Los panelistas debaten el informe *Playing with Lives: Cyberattacks on Healthcare "
        "are Attacks on People*: lo que el ransomware y la desinformación causan a pacientes "
        "y personal sanitario, por qué quienes cometen estos ataques casi nunca rinden "
        "cuentas y qué pueden hacer gobiernos, empresas y sociedad civil para proteger la "
        "atención sanitaria.\n\n"
        "Las preguntas del público son bienvenidas. El debate es en inglés; también se "
        "aceptan preguntas en francés.",
    ),
    "ar": (
        "حلقة نقاش: «Playing with Lives» (عرض توضيحي)",
        "**فعالية للعرض التوضيحي فقط: لن تُعقد.**\n\n"
        "يناقش المتحدثون تقرير *Playing with Lives: Cyberattacks on Healthcare are Attacks "
        "on People*: ما تُلحقه برامج الفدية والتضليل بالمرضى والعاملين في المجال الطبي، "
        "ولماذا نادرًا ما يُحاسَب مرتكبو هذه الهجمات، وما يمكن أن تفعله الحكومات والشركات "
        "والمجتمع المدني لحماية الرعاية الصحية.\n\n"
        "نرحّب بأسئلة الجمهور. يجري النقاش بالإنكليزية، وتُقبل الأسئلة بالفرنسية أيضًا.",
    ),
    "zh": (
        "专题讨论会：《Playing with Lives》（演示）",
        "**这是一个演示活动：不会实际举行。**\n\n"
        "与会嘉宾将讨论报告 *Playing with Lives: Cyberattacks on Healthcare are Attacks on "
        "People*：勒索软件和虚假信息对患者和医务人员造成的伤害，为何此类攻击的实施者很少"
        "被追究责任，以及各国政府、企业和民间社会各自可以如何保护医疗服务。\n\n"
        "欢迎听众提问。讨论以英语进行，也接受法语提问。",
    ),
    "ru": (
        "Панельная дискуссия: «Playing with Lives» (демонстрация)",
        "**Демонстрационное мероприятие: оно не состоится.**\n\n"
        "Участники обсуждают доклад *Playing with Lives: Cyberattacks on Healthcare are "
        "Attacks on People*: какой вред программы-вымогатели и дезинформация наносят "
        "пациентам и медицинскому персоналу, почему виновные в таких атаках так редко несут "
        "ответственность и что правительства, компании и гражданское общество могут сделать "
        "для защиты здравоохранения.\n\n"
        "Вопросы слушателей приветствуются. Дискуссия ведётся на английском языке, вопросы "
        "принимаются и на французском.",
    ),
}
