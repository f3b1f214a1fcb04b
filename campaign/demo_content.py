"""Demo campaign content for the ``flask seed-demo`` command.

This module is plain data and imports nothing from the application. It
reproduces, as a demonstration campaign, the CyberPeace Institute's Call to
Governments of 26 May 2020, which asked the world's governments to stop
cyberattacks on healthcare. The page text is written for this project; the
facts (dates, demands, first signatories and their titles) follow the public
record of the original call.

Exports:

* ``CALL`` -- the campaign itself (texts, organisation, dates, goal).
* ``CATEGORIES`` -- signatory categories, in display order.
* ``NOTABLE_SIGNATORIES`` -- the first prominent signatories, ordered by
  category and then by their position in the original list.
* ``TRANSLATIONS`` -- the call's own text in French and Spanish.
* ``NOTABLE_TRANSLATIONS``, ``CATEGORY_TRANSLATIONS`` -- the first signatories'
  titles and their categories in French and Spanish, keyed by the English.
* ``GOVERNMENT_TARGETS`` -- a few of the governments the call addresses
  (contacts at example.org: the demo writes to nobody). The demo has no
  recorded delivery and no answer: those are organisers' records of real events.
* ``ORGANISATION`` -- the letterhead of the demo's cover letters (the
  organisation's settings; contact at example.org, no logo, nobody named as
  signing: the demo puts no letter in a real person's name).
"""

from datetime import UTC, datetime

CALL: dict = {
    "slug": "call-to-governments",
    "title": "Governments: stop the cyberattacks on healthcare",
    "summary": (
        "Hospitals, medical researchers and public health bodies are under "
        "cyberattack. Join the call first published by the CyberPeace "
        "Institute on 26 May 2020 and ask governments to act now."
    ),
    "body_markdown": """\
To the governments of the world,

Since the COVID-19 pandemic began, the people who look after the sick have been \
working under a second threat: attackers breaking into the computer systems that \
hospitals, laboratories and public health agencies depend on. When those systems \
fail, treatment is delayed, research stalls and lives are put at risk. No motive, \
political or financial, can excuse this.

We, the undersigned, ask you to act now:

1. **Stop the attacks.** Act without delay, and firmly, to end every \
cyberattack on hospitals, on healthcare and medical research facilities, on \
medical staff and on the international organisations that safeguard public \
health.
2. **Reaffirm the rules.** Work with one another, including at the United \
Nations, to state again, clearly and together, that international law forbids \
these attacks.
3. **Protect medical facilities together.** Join forces with civil society and \
with industry so that the places where patients are treated and where cures \
are developed get the protection they need.
4. **Hold the perpetrators to account.** Make sure that whoever carries out \
these attacks answers for them.

Healthcare must be off limits. Add your name, and help us carry this message \
to the people who have the power to make it so.
""",
    "background_markdown": """\
## Why now

In the first months of the COVID-19 pandemic, with health systems already \
stretched, the health sector itself became a target. Hospitals and health \
bodies in the Czech Republic, France, Spain, Thailand and the United States \
were hit, and so was the World Health Organization.

The attacks came in more than one form. Ransomware locked care networks out of \
their own systems. Disinformation campaigns went after testing and the \
research into a vaccine, eroding trust at the very moment it was needed most.

The CyberPeace Institute's warning was plain: COVID-19 will not be the last \
health emergency, and unless governments act, the next one will bring the \
same attacks. That is why this call is addressed to them.

## What came next

The call became part of the institute's wider Cyber4Healthcare work. On \
9 March 2021 it published a follow-up report, *Playing with Lives: \
Cyberattacks on Healthcare are Attacks on People*, available in English, \
French and Spanish. Its message to governments: attacking healthcare has to \
stop paying off, so that neither criminals nor hostile states gain anything \
from it.
""",
    "organisation": "CyberPeace Institute",
    "organisation_url": "https://cyberpeaceinstitute.org",
    "organisation_blurb": (
        "The CyberPeace Institute is an independent non-governmental "
        "organisation based in Geneva that works to make sure people harmed "
        "by cyberattacks get support and that those behind the attacks answer "
        "for them. It launched this call with the backing of the "
        "International Committee of the Red Cross and carried it as "
        "full-page advertisements in major newspapers."
    ),
    "opened_at": datetime(2020, 5, 26, 7, 0, tzinfo=UTC),
    "timezone": "Europe/Zurich",
    "goal": 100000,
    "language": "en",
}


CATEGORIES: list[str] = [
    "Nobel Peace Prize laureate",
    "Former head of state or government",
    "Former ministers and officials",
    "International organisations",
    "Industry",
    "Civil society",
]


NOTABLE_SIGNATORIES: list[dict] = [
    # Nobel Peace Prize laureates (listed here even when also a former head of state)
    {
        "name": "Desmond Tutu",
        "title": "Archbishop Emeritus, Nobel Peace Prize laureate",
        "organisation": "",
        "country": "ZA",
        "category": "Nobel Peace Prize laureate",
    },
    {
        "name": "Mohamed ElBaradei",
        "title": "Former Director General of the IAEA, Nobel Peace Prize laureate",
        "organisation": "International Atomic Energy Agency",
        "country": "EG",
        "category": "Nobel Peace Prize laureate",
    },
    {
        "name": "Mikhail Gorbachev",
        "title": "Former President of the Soviet Union, Nobel Peace Prize laureate",
        "organisation": "",
        "country": "RU",
        "category": "Nobel Peace Prize laureate",
    },
    {
        "name": "Lech Wałęsa",
        "title": "Former President of Poland, Nobel Peace Prize laureate",
        "organisation": "",
        "country": "PL",
        "category": "Nobel Peace Prize laureate",
    },
    {
        "name": "Juan Manuel Santos",
        "title": "Former President of Colombia, Nobel Peace Prize laureate",
        "organisation": "",
        "country": "CO",
        "category": "Nobel Peace Prize laureate",
    },
    # Former heads of state or government
    {
        "name": "Ernesto Zedillo",
        "title": "Former President of Mexico",
        "organisation": "",
        "country": "MX",
        "category": "Former head of state or government",
    },
    # Former ministers and officials
    {
        "name": "Madeleine Albright",
        "title": "Former US Secretary of State",
        "organisation": "",
        "country": "US",
        "category": "Former ministers and officials",
    },
    {
        "name": "Igor Ivanov",
        "title": "Former Minister of Foreign Affairs of Russia",
        "organisation": "",
        "country": "RU",
        "category": "Former ministers and officials",
    },
    # International organisations
    {
        "name": "Ban Ki-moon",
        "title": "Former Secretary-General of the United Nations",
        "organisation": "United Nations",
        "country": "KR",
        "category": "International organisations",
    },
    {
        "name": "Zeid Ra'ad Al Hussein",
        "title": "Former UN High Commissioner for Human Rights",
        "organisation": "United Nations",
        "country": "JO",
        "category": "International organisations",
    },
    {
        "name": "Margaret Chan",
        "title": "Former Director-General of the World Health Organization",
        "organisation": "World Health Organization",
        "country": "HK",
        "category": "International organisations",
    },
    {
        "name": "Peter Maurer",
        "title": "President of the International Committee of the Red Cross",
        "organisation": "International Committee of the Red Cross",
        "country": "CH",
        "category": "International organisations",
    },
    # Industry
    {
        "name": "Brad Smith",
        "title": "President of Microsoft",
        "organisation": "Microsoft",
        "country": "US",
        "category": "Industry",
    },
    {
        "name": "Eugene Kaspersky",
        "title": "CEO of Kaspersky",
        "organisation": "Kaspersky",
        "country": "RU",
        "category": "Industry",
    },
    # Civil society
    {
        "name": "Marietje Schaake",
        "title": "President of the CyberPeace Institute",
        "organisation": "CyberPeace Institute",
        "country": "NL",
        "category": "Civil society",
    },
    {
        "name": "Stéphane Duguin",
        "title": "CEO of the CyberPeace Institute",
        "organisation": "CyberPeace Institute",
        "country": "FR",
        "category": "Civil society",
    },
]


# The call's own text in the other UN languages, as its organisers would write it
# (see PetitionTranslation); written for this project, like the English.
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
GOVERNMENT_TARGETS: list[dict] = [
    {
        "country": "CH",
        "body": "Federal Department of Foreign Affairs",
        "emails": "cyberpeace-demo.fdfa@example.org\nsecretariat.fdfa@example.org",
        "postal_address": "Bundeshaus West\n3003 Bern\nSwitzerland",
        "languages": "fr en",
        "threshold": 1000,
    },
    {
        "country": "FR",
        "body": "Ministère de l’Europe et des Affaires étrangères",
        "emails": "cyberpeace-demo.meae@example.org",
        "postal_address": "37 quai d’Orsay\n75007 Paris\nFrance",
        "languages": "fr",
        "threshold": 1000,
    },
    {
        "country": "ES",
        "body": "Ministerio de Asuntos Exteriores, Unión Europea y Cooperación",
        "emails": "cyberpeace-demo.maec@example.org",
        "postal_address": "Plaza de la Provincia, 1\n28012 Madrid\nEspaña",
        "languages": "es",
        "threshold": 500,
    },
    {
        "country": "DE",
        "body": "Federal Foreign Office",
        "emails": "cyberpeace-demo.aa@example.org",
        "postal_address": "Werderscher Markt 1\n10117 Berlin\nGermany",
        "languages": "en",
        "threshold": 1000,
    },
    {
        "country": "KE",
        "body": "Ministry of Foreign and Diaspora Affairs",
        "emails": "cyberpeace-demo.mfa-ke@example.org",
        "postal_address": "Old Treasury Building, Harambee Avenue\nNairobi\nKenya",
        "languages": "en",
        "threshold": 250,
    },
    {
        "country": "BR",
        "body": "Ministry of Foreign Affairs (Itamaraty)",
        "emails": "cyberpeace-demo.itamaraty@example.org",
        "postal_address": "Palácio Itamaraty, Esplanada dos Ministérios\nBrasília, DF\nBrazil",
        "languages": "es en",
        "threshold": 500,
    },
]


# The organisation's settings (campaign.letters): the sender of every cover letter.
ORGANISATION: dict = {
    "name": "CyberPeace Institute",
    "postal_address": "Chemin des Mines 9\n1202 Geneva\nSwitzerland",
    "contact_email": "cyberpeace-demo.letters@example.org",
    "website": "https://cyberpeaceinstitute.org",
    "place": "Geneva",
    "place_names": {"fr": "Genève", "es": "Ginebra", "ar": "جنيف", "zh": "日内瓦", "ru": "Женева"},
    "signatory": "",
}


# The demo's one publication (campaign.publications): the institute's report, with a
# summary written for this demo from the report's public description, and a generated
# sample PDF per language that says on its first page it is not the real report.
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
