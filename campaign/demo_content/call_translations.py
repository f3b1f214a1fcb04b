"""The demo call's own text in the five languages beside English."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Gouvernements : mettez fin aux cyberattaques contre la santé",
        "summary": (
            "Hôpitaux, chercheurs en médecine et autorités de santé publique sont la "
            "cible de cyberattaques. Rejoignez l’appel publié pour la première fois par "
            "le CyberPeace Institute le 26 mai 2020 et demandez aux gouvernements "
            "d’agir dès maintenant."
        ),
        "body_markdown": """\
Aux gouvernements du monde entier,

Depuis le début de la pandémie de COVID-19, celles et ceux qui soignent les \
malades travaillent sous une seconde menace : des attaquants qui s’introduisent \
dans les systèmes informatiques dont dépendent les hôpitaux, les laboratoires et \
les agences de santé publique. Quand ces systèmes tombent, les soins sont \
retardés, la recherche s’arrête et des vies sont mises en danger. Aucun motif, \
politique ou financier, ne peut excuser cela.

Nous, signataires, vous demandons d’agir dès maintenant :

1. **Faites cesser les attaques.** Agissez sans délai et avec fermeté pour \
mettre fin à toute cyberattaque contre les hôpitaux, les établissements de soins \
et de recherche médicale, le personnel soignant et les organisations \
internationales qui veillent sur la santé publique.
2. **Réaffirmez les règles.** Travaillez ensemble, y compris aux Nations unies, \
pour redire clairement et d’une seule voix que le droit international interdit \
ces attaques.
3. **Protégez ensemble les établissements médicaux.** Unissez vos forces à \
celles de la société civile et des entreprises, afin que les lieux où l’on soigne \
les patients et où l’on met au point les traitements reçoivent la protection \
dont ils ont besoin.
4. **Faites répondre les auteurs de leurs actes.** Veillez à ce que quiconque \
mène ces attaques en rende compte.

La santé doit rester hors d’atteinte. Ajoutez votre nom, et aidez-nous à porter \
ce message jusqu’à celles et ceux qui ont le pouvoir d’en faire une réalité.
""",
        "background_markdown": """\
## Pourquoi maintenant

Dans les premiers mois de la pandémie de COVID-19, alors que les systèmes de \
santé étaient déjà à bout de souffle, le secteur de la santé est lui-même devenu \
une cible. Des hôpitaux et des organismes de santé ont été frappés en République \
tchèque, en France, en Espagne, en Thaïlande et aux États-Unis, tout comme \
l’Organisation mondiale de la santé.

Les attaques ont pris plusieurs formes. Des rançongiciels ont privé des réseaux \
de soins de leurs propres systèmes. Des campagnes de désinformation ont visé le \
dépistage et la recherche d’un vaccin, minant la confiance au moment précis où \
elle était le plus nécessaire.

L’avertissement du CyberPeace Institute était sans détour : la COVID-19 ne sera \
pas la dernière urgence sanitaire et, si les gouvernements n’agissent pas, la \
prochaine apportera les mêmes attaques. C’est pourquoi cet appel s’adresse à eux.

## La suite

L’appel s’est inscrit dans le travail plus large de l’institut, Cyber4Healthcare. \
Le 9 mars 2021, celui-ci a publié un rapport de suivi, *Playing with Lives: \
Cyberattacks on Healthcare are Attacks on People*, disponible en anglais, en \
français et en espagnol. Son message aux gouvernements : attaquer la santé doit \
cesser de rapporter, pour que ni les criminels ni les États hostiles n’en tirent \
le moindre bénéfice.
""",
        "organisation_blurb": (
            "Le CyberPeace Institute est une organisation non gouvernementale "
            "indépendante basée à Genève. Il œuvre pour que les personnes touchées par "
            "des cyberattaques reçoivent de l’aide et que les auteurs de ces attaques en "
            "répondent. Il a lancé cet appel avec le soutien du Comité international de "
            "la Croix-Rouge et l’a fait paraître en pleine page dans de grands journaux."
        ),
    },
    "es": {
        "title": "Gobiernos: pongan fin a los ciberataques contra la sanidad",
        "summary": (
            "Hospitales, investigadores médicos y organismos de salud pública sufren "
            "ciberataques. Súmese al llamamiento que el CyberPeace Institute publicó por "
            "primera vez el 26 de mayo de 2020 y pida a los gobiernos que actúen ya."
        ),
        "body_markdown": """\
A los gobiernos del mundo:

Desde que empezó la pandemia de COVID-19, quienes cuidan de los enfermos \
trabajan bajo una segunda amenaza: atacantes que se infiltran en los sistemas \
informáticos de los que dependen hospitales, laboratorios y agencias de salud \
pública. Cuando esos sistemas fallan, los tratamientos se retrasan, la \
investigación se detiene y hay vidas en peligro. Ningún motivo, ni político ni \
económico, puede justificarlo.

Quienes firmamos este llamamiento les pedimos que actúen ya:

1. **Detengan los ataques.** Actúen sin demora y con firmeza para acabar con \
todo ciberataque contra hospitales, centros sanitarios y de investigación \
médica, personal sanitario y las organizaciones internacionales que velan por la \
salud pública.
2. **Reafirmen las normas.** Trabajen juntos, también en las Naciones Unidas, \
para declarar de nuevo, con claridad y al unísono, que el derecho internacional \
prohíbe estos ataques.
3. **Protejan juntos los centros médicos.** Unan fuerzas con la sociedad civil y \
con las empresas para que los lugares donde se atiende a los pacientes y donde \
se desarrollan los tratamientos reciban la protección que necesitan.
4. **Exijan cuentas a los responsables.** Asegúrense de que quien lleve a cabo \
estos ataques responda por ellos.

La sanidad debe quedar fuera de todo ataque. Añada su nombre y ayúdenos a hacer \
llegar este mensaje a quienes tienen el poder de convertirlo en realidad.
""",
        "background_markdown": """\
## Por qué ahora

En los primeros meses de la pandemia de COVID-19, con los sistemas de salud ya \
al límite, el propio sector sanitario se convirtió en un objetivo. Sufrieron \
ataques hospitales y organismos sanitarios de la República Checa, Francia, \
España, Tailandia y Estados Unidos, y también la Organización Mundial de la \
Salud.

Los ataques adoptaron más de una forma. El ransomware dejó a redes asistenciales \
sin acceso a sus propios sistemas. Las campañas de desinformación arremetieron \
contra las pruebas diagnósticas y la investigación de una vacuna, y minaron la \
confianza justo cuando más falta hacía.

La advertencia del CyberPeace Institute fue clara: la COVID-19 no será la última \
emergencia sanitaria y, si los gobiernos no actúan, la próxima traerá los mismos \
ataques. Por eso este llamamiento se dirige a ellos.

## Lo que vino después

El llamamiento pasó a formar parte de un trabajo más amplio del instituto, \
Cyber4Healthcare. El 9 de marzo de 2021 publicó un informe de seguimiento, \
*Playing with Lives: Cyberattacks on Healthcare are Attacks on People*, \
disponible en inglés, francés y español. Su mensaje a los gobiernos: atacar la \
sanidad tiene que dejar de salir rentable, para que ni los delincuentes ni los \
Estados hostiles saquen provecho de ello.
""",
        "organisation_blurb": (
            "El CyberPeace Institute es una organización no gubernamental independiente "
            "con sede en Ginebra que trabaja para que las personas perjudicadas por "
            "ciberataques reciban apoyo y para que los responsables de esos ataques "
            "respondan por ellos. Lanzó este llamamiento con el respaldo del Comité "
            "Internacional de la Cruz Roja y lo publicó como anuncio a página completa en "
            "grandes periódicos."
        ),
    },
    "ar": {
        "title": "إلى الحكومات: أوقفوا الهجمات السيبرانية على الرعاية الصحية",
        "summary": (
            "تتعرّض المستشفيات والباحثون في المجال الطبي وهيئات الصحة العامة لهجمات "
            "سيبرانية. انضمّ إلى النداء الذي أطلقه معهد السلام السيبراني (CyberPeace "
            "Institute) لأول مرة في 26 أيار/مايو 2020، وطالِب الحكومات بالتحرّك الآن."
        ),
        "body_markdown": """\
إلى حكومات العالم،

منذ بداية جائحة كوفيد-19، يعمل القائمون على رعاية المرضى تحت تهديد ثانٍ: مهاجمون \
يخترقون الأنظمة الحاسوبية التي تعتمد عليها المستشفيات والمختبرات ووكالات الصحة \
العامة. وحين تتعطّل هذه الأنظمة، يتأخّر العلاج، ويتوقّف البحث، وتتعرّض الأرواح \
للخطر. ولا يمكن لأي دافع، سياسيًا كان أو ماليًا، أن يبرّر ذلك.

نحن الموقّعين أدناه نطلب إليكم أن تتحرّكوا الآن:

1. **أوقفوا الهجمات.** اتخذوا دون إبطاء إجراءات حازمة لوضع حدّ لكل هجوم سيبراني \
على المستشفيات ومرافق الرعاية الصحية والبحوث الطبية، وعلى العاملين في المجال \
الطبي، وعلى المنظمات الدولية التي تحمي الصحة العامة.
2. **أعيدوا تأكيد القواعد.** اعملوا معًا، بما في ذلك في الأمم المتحدة، على التأكيد \
مجددًا، بوضوح وبصوت واحد، أن القانون الدولي يحظر هذه الهجمات.
3. **احموا المرافق الطبية معًا.** وحّدوا جهودكم مع المجتمع المدني والقطاع الخاص \
حتى تحظى الأماكن التي يُعالَج فيها المرضى وتُطوَّر فيها العلاجات بالحماية التي \
تحتاج إليها.
4. **حاسبوا مرتكبي الهجمات.** احرصوا على أن يُساءَل كل من يشنّ هذه الهجمات عن \
أفعاله.

يجب أن تبقى الرعاية الصحية بمنأى عن الهجمات. أضف اسمك، وساعدنا على إيصال هذه \
الرسالة إلى من يملكون القدرة على تحقيق ذلك.
""",
        "background_markdown": """\
## لماذا الآن

في الأشهر الأولى من جائحة كوفيد-19، وبينما كانت النظم الصحية مثقلة أصلًا، أصبح \
القطاع الصحي نفسه هدفًا. فقد تعرّضت مستشفيات وهيئات صحية في الجمهورية التشيكية \
وفرنسا وإسبانيا وتايلند والولايات المتحدة للهجوم، وكذلك منظمة الصحة العالمية.

واتخذت الهجمات أكثر من شكل. فقد عطّلت برمجيات الفدية شبكات الرعاية وحرمتها من \
الوصول إلى أنظمتها. واستهدفت حملات التضليل الفحوص والبحوث الرامية إلى تطوير لقاح، \
فقوّضت الثقة في الوقت الذي كانت الحاجة إليها فيه على أشدّها.

وكان تحذير المعهد واضحًا: لن تكون كوفيد-19 آخر حالة طوارئ صحية، وما لم تتحرّك \
الحكومات، فستجلب الأزمة المقبلة الهجمات نفسها. ولهذا السبب يتوجّه هذا النداء \
إليها.

## ما تلا ذلك

أصبح النداء جزءًا من عمل المعهد الأوسع في إطار مبادرة Cyber4Healthcare. وفي 9 \
آذار/مارس 2021، نشر المعهد تقرير متابعة بعنوان «العبث بالأرواح: الهجمات السيبرانية \
على الرعاية الصحية هجمات على الناس» (*Playing with Lives: Cyberattacks on \
Healthcare are Attacks on People*)، صدر بالإنكليزية والفرنسية والإسبانية. ورسالته \
إلى الحكومات: يجب ألا تعود الهجمات على الرعاية الصحية بأي مكسب، حتى لا يجني منها \
المجرمون ولا الدول المعادية شيئًا.
""",
        "organisation_blurb": (
            "معهد السلام السيبراني منظمة غير حكومية مستقلة مقرّها جنيف، تعمل على ضمان "
            "حصول المتضرّرين من الهجمات السيبرانية على الدعم، وعلى مساءلة من يقفون وراء "
            "هذه الهجمات. وقد أطلق هذا النداء بدعم من اللجنة الدولية للصليب الأحمر، ونشره "
            "في إعلانات على صفحات كاملة في كبريات الصحف."
        ),
    },
    "zh": {
        "title": "各国政府：停止针对医疗卫生领域的网络攻击",
        "summary": (
            "医院、医学研究人员和公共卫生机构正遭受网络攻击。请加入网络和平研究所（C"
            "yberPeace Institute）于2020年5月26日首次发布的"
            "呼吁，敦促各国政府立即采取行动。"
        ),
        "body_markdown": """\
致世界各国政府：

自新冠肺炎（COVID-19）大流行开始以来，照护病患的人们一直在另一重威胁下工\
作：攻击者侵入医院、实验室和公共卫生机构赖以运转的计算机系统。一旦这些系统瘫痪，\
治疗就会延误，研究就会停滞，生命就会面临危险。任何动机，无论是政治动机还是经济动\
机，都不能成为这样做的借口。

我们，下列签署人，请求各国政府立即采取行动：

1. **停止攻击。** 立即果断采取行动，制止一切针对医院、医疗卫生和医学研究\
设施、医务人员以及维护公共卫生的国际组织的网络攻击。
2. **重申规则。** 相互合作，包括在联合国框架内合作，共同明确重申国际法禁\
止此类攻击。
3. **共同保护医疗设施。** 与民间社会和业界携手，使患者接受治疗、新疗法得\
以研发的场所获得所需的保护。
4. **追究肇事者的责任。** 确保实施这些攻击的人承担责任。

医疗卫生必须免受攻击。请签名，并帮助我们把这一信息传达给有能力实现这一目标的人。
""",
        "background_markdown": """\
## 为何是现在

在新冠肺炎大流行的最初几个月，卫生系统本已不堪重负，卫生部门本身却成了攻击目标。\
捷克共和国、法国、西班牙、泰国和美国的医院和卫生机构遭到攻击，世界卫生组织也未能\
幸免。

攻击的形式不止一种。勒索软件使医疗网络无法访问自己的系统；虚假信息运动则针对检测\
和疫苗研究，恰恰在最需要信任的时候侵蚀了信任。

网络和平研究所的警告十分明确：新冠肺炎不会是最后一次卫生紧急状况；如果各国政府不\
采取行动，下一次危机将带来同样的攻击。正因如此，本呼吁面向各国政府。

## 后续进展

本呼吁成为该研究所更广泛的 Cyber4Healthcare 工作的一部分。20\
21年3月9日，研究所发布了后续报告《拿生命当儿戏：针对医疗卫生的网络攻击就是针\
对人的攻击》（*Playing with Lives: Cyberattacks\
 on Healthcare are Attacks on People*），有\
英文、法文和西班牙文版本。报告向各国政府传达的信息是：必须让攻击医疗卫生无利可图\
，使犯罪分子和敌对国家都无法从中获益。
""",
        "organisation_blurb": (
            "网络和平研究所是一家总部设在日内瓦的独立非政府组织，致力于确保受网络攻击"
            "伤害的人获得支持，并使攻击者承担责任。该研究所在红十字国际委员会的支持下"
            "发起本呼吁，并以整版广告的形式在多家主要报刊上刊登。"
        ),
    },
    "ru": {
        "title": "Правительства: остановите кибератаки на здравоохранение",
        "summary": (
            "Больницы, медицинские исследователи и органы общественного здравоохранения "
            "подвергаются кибератакам. Присоединитесь к обращению CyberPeace Institute "
            "от 26 мая 2020 года и призовите правительства действовать."
        ),
        "body_markdown": """\
К правительствам всех стран мира!

С начала пандемии COVID-19 те, кто ухаживает за больными, работают под второй \
угрозой: злоумышленники взламывают компьютерные системы, от которых зависят \
больницы, лаборатории и учреждения общественного здравоохранения. Когда эти \
системы выходят из строя, лечение откладывается, исследования останавливаются, а \
жизни людей оказываются под угрозой. Этому нет оправдания — ни политического, ни \
финансового.

Мы, нижеподписавшиеся, призываем вас действовать незамедлительно:

1. **Остановите атаки.** Безотлагательно и решительно положите конец всем \
кибератакам на больницы, учреждения здравоохранения и медицинских исследований, на \
медицинский персонал и на международные организации, охраняющие здоровье \
населения.
2. **Подтвердите правила.** Действуя сообща, в том числе в Организации \
Объединённых Наций, вновь ясно и единодушно заявите, что международное право \
запрещает такие атаки.
3. **Защищайте медицинские учреждения вместе.** Объедините усилия с гражданским \
обществом и частным сектором, чтобы места, где лечат пациентов и разрабатывают \
лекарства, получили необходимую защиту.
4. **Привлеките виновных к ответственности.** Добейтесь того, чтобы все, кто \
совершает такие атаки, понесли за них ответственность.

Здравоохранение должно быть неприкосновенным. Поставьте свою подпись и помогите \
нам донести этот призыв до тех, в чьей власти это обеспечить.
""",
        "background_markdown": """\
## Почему сейчас

В первые месяцы пандемии COVID-19, когда системы здравоохранения и без того \
работали на пределе, мишенью стал сам сектор здравоохранения. Атакам подверглись \
больницы и органы здравоохранения в Чешской Республике, Франции, Испании, Таиланде \
и Соединённых Штатах, а также Всемирная организация здравоохранения.

Атаки принимали разные формы. Программы-вымогатели лишали медицинские сети доступа \
к их собственным системам. Кампании по дезинформации были направлены против \
тестирования и исследований по созданию вакцины и подрывали доверие именно тогда, \
когда оно было нужнее всего.

Предупреждение CyberPeace Institute было недвусмысленным: COVID-19 не станет \
последней чрезвычайной ситуацией в области здравоохранения, и если правительства \
не примут мер, следующая принесёт те же атаки. Именно поэтому обращение адресовано \
им.

## Что было дальше

Обращение стало частью более широкой работы института в рамках инициативы \
Cyber4Healthcare. 9 марта 2021 года институт опубликовал доклад «Игра с жизнями: \
кибератаки на здравоохранение — это атаки на людей» (*Playing with Lives: \
Cyberattacks on Healthcare are Attacks on People*) на английском, французском и \
испанском языках. Его призыв к правительствам: нападения на здравоохранение должны \
перестать приносить выгоду, чтобы ни преступники, ни враждебные государства ничего \
от них не получали.
""",
        "organisation_blurb": (
            "CyberPeace Institute — независимая неправительственная организация со "
            "штаб-квартирой в Женеве, которая добивается того, чтобы пострадавшие от "
            "кибератак получали поддержку, а виновные несли ответственность. Институт "
            "выступил с этим обращением при поддержке Международного комитета Красного "
            "Креста и опубликовал его в виде полностраничных объявлений в ведущих "
            "газетах."
        ),
    },
}


# The notables' titles and the categories' names in the other UN languages, as the call's
# editors would write them (see NotableTranslation), keyed by the English text: a title
# an organiser has since changed gets no seeded translation.
