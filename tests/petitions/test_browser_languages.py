"""A new visitor whose browser prefers another UN language signs and confirms in it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..helpers.browser import screenshot

pytestmark = pytest.mark.browser

JOURNEYS = {
    "fr": {
        "locale": "fr-CH",
        "read": "Lire et signer l’appel",
        "title": "Gouvernements\u00a0: mettez fin aux cyberattaques contre la santé",
        "name": "Nom complet",
        "email": "Adresse e-mail",
        "country": "Pays de résidence",
        "consent": "J’ai lu la déclaration de confidentialité",
        "sign": "Signer l’appel",
        "error": "Veuillez indiquer votre nom.",
        "check": "Consultez votre messagerie",
        "subject": "Veuillez confirmer votre signature\u00a0: Gouvernements",
        "greeting": "Bonjour Simone Veil,",
        "person": ("Simone Veil", "simone@example.org", "FR"),
        "confirm": "Confirmer ma signature",
        "thanks": "Merci\u00a0: votre signature est confirmée",
    },
    "es": {
        "locale": "es-MX",
        "read": "Leer y firmar el llamamiento",
        "title": "Gobiernos: pongan fin a los ciberataques contra la sanidad",
        "name": "Nombre completo",
        "email": "Correo electrónico",
        "country": "País de residencia",
        "consent": "He leído el aviso de privacidad",
        "sign": "Firmar el llamamiento",
        "error": "Indique su nombre.",
        "check": "Revise su correo electrónico",
        "subject": "Confirme su firma: Gobiernos",
        "greeting": "Hola, Rigoberta Menchú:",
        "person": ("Rigoberta Menchú", "rigoberta@example.org", "GT"),
        "confirm": "Confirmar mi firma",
        "thanks": "Gracias: su firma está confirmada",
    },
    "ar": {
        "locale": "ar-EG",
        "read": "اقرأ النداء ووقّعه",
        "title": "إلى الحكومات: أوقفوا الهجمات السيبرانية على الرعاية الصحية",
        "name": "الاسم الكامل",
        "email": "عنوان البريد الإلكتروني",
        "country": "بلد الإقامة",
        "consent": "قرأت إشعار الخصوصية",
        "sign": "وقِّع النداء",
        "error": "يُرجى إدخال اسمك.",
        "check": "تفقّد بريدك الإلكتروني",
        "subject": "يُرجى تأكيد توقيعك: إلى الحكومات",
        "greeting": "مرحبًا ليلى خالد،",
        "person": ("ليلى خالد", "layla@example.org", "EG"),
        "confirm": "أكِّد توقيعي",
        "thanks": "شكرًا لك: تم تأكيد توقيعك",
    },
    "zh": {
        "locale": "zh-CN",
        "read": "阅读并签署呼吁",
        "title": "各国政府：停止针对医疗卫生领域的网络攻击",
        "name": "全名",
        "email": "电子邮件地址",
        "country": "居住国",
        "consent": "我已阅读隐私声明",
        "sign": "签署呼吁",
        "error": "请输入您的姓名。",
        "check": "请查收您的电子邮件",
        "subject": "请确认您的签名：各国政府",
        "greeting": "王小明，您好：",
        "person": ("王小明", "xiaoming@example.org", "CN"),
        "confirm": "确认我的签名",
        "thanks": "谢谢：您的签名已确认",
    },
    "ru": {
        "locale": "ru-RU",
        "read": "Прочитать и подписать обращение",
        "title": "Правительства: остановите кибератаки на здравоохранение",
        "name": "Полное имя",
        "email": "Адрес электронной почты",
        "country": "Страна проживания",
        "consent": "Я ознакомился(-ась) с уведомлением о конфиденциальности",
        "sign": "Подписать обращение",
        "error": "Введите своё имя.",
        "check": "Проверьте электронную почту",
        "subject": "Подтвердите свою подпись: Правительства",
        "greeting": "Здравствуйте, Анна Ахматова!",
        "person": ("Анна Ахматова", "anna@example.org", "RU"),
        "confirm": "Подтвердить мою подпись",
        "thanks": "Благодарим вас: ваша подпись подтверждена",
    },
}


@pytest.mark.parametrize("language", JOURNEYS)
def test_sign_and_confirm_in_the_browsers_language(live_server, browser, smtp, artifacts, language):
    from campaign.extensions import db
    from campaign.mail.worker import send_batch
    from campaign.petitions.cli import seed_demo

    words = JOURNEYS[language]
    with live_server.app.app_context():
        seed_demo()
        db.session.commit()
    context = browser.new_context(locale=words["locale"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        # The home page sends the browser to its language; everything after follows the URL.
        page.goto(f"{live_server.url}/")
        assert page.url == f"{live_server.url}/{language}/"
        page.get_by_role("link", name=words["read"]).click()
        expect(page.locator("h1")).to_have_text(words["title"])
        page.get_by_role("button", name=words["sign"]).click()
        page.get_by_role("alert").get_by_role("link", name=words["error"]).wait_for()

        name, email, country = words["person"]
        page.get_by_label(words["name"]).fill(name)
        page.get_by_label(words["email"]).fill(email)
        page.get_by_label(words["country"]).select_option(country)
        page.get_by_label(words["consent"]).check()
        page.get_by_role("button", name=words["sign"]).click()
        page.get_by_role("heading", name=words["check"]).wait_for()
        screenshot(page, artifacts / f"journey-check-email-{language}.png", full_page=True)

        with live_server.app.app_context():
            assert send_batch().sent == 1
        mail = smtp.messages[-1]
        assert mail["Subject"].strip().startswith(words["subject"])
        text = mail.get_body(("plain",)).get_content()
        assert words["greeting"] in text
        prefix = f"{live_server.url}/{language}/petitions/confirm/"
        [link] = [word for word in text.split() if word.startswith(prefix)]
        page.goto(link)
        page.get_by_role("button", name=words["confirm"]).click()
        page.get_by_role("heading", name=words["thanks"]).wait_for()
        expect(page.locator(".count-number")).to_have_text("1")
        screenshot(page, artifacts / f"journey-thank-you-{language}.png", full_page=True)
        assert errors == []
    finally:
        context.close()
