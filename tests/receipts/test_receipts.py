"""Receipts as a signer meets them: confirm, keep the receipt, an organiser delivers, check it
on the site and offline with the README's own snippet; tampering fails; withdrawal after a
delivery; nothing personal in what the public sees; the site's signature on each root."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import ReceiptLeafChunk, Signature, utcnow
from campaign.receipts import merkle

from ..helpers.journey import links_in, local_path, press_button, send_outbox, sign

SLUG = "call-to-governments"
README = Path(__file__).resolve().parents[2] / "README.md"
NAME, EMAIL = "Ada Lovelace", "ada.receipt@example.org"


def confirm_signature(app, client, smtp, email=EMAIL, name=NAME, country="CH"):
    """Sign and confirm through the email link; return the thank-you page's HTML."""
    assert sign(client, SLUG, email=email, name=name, country=country).status_code == 303
    send_outbox(app)
    [link] = links_in(smtp.messages[-1])
    confirmed = press_button(client, local_path(link))
    assert confirmed.status_code == 303
    thanks = client.get(confirmed.headers["Location"])
    assert thanks.status_code == 200
    return thanks.get_data(as_text=True)


def download_receipt(client, html: str) -> dict:
    [url] = re.findall(r'href="(/receipts/[^"]+)"', html)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    return json.loads(response.get_data(as_text=True))


_builds = itertools.count()


def deliver(app, tmp_path: Path, day_offset: int = 0) -> tuple[Path, int]:
    """An organiser builds Switzerland's package and records its delivery, by the commands."""
    runner = app.test_cli_runner()
    out = tmp_path / f"out{next(_builds)}"
    built = runner.invoke(args=["export", "delivery", SLUG, "--country", "CH", "--out", str(out)])
    assert built.exit_code == 0, built.output
    (zip_path,) = out.glob("*-CH-*.zip")
    day = (utcnow() + timedelta(days=day_offset)).date().isoformat()
    recorded = runner.invoke(
        args=[
            *("governments", "record-delivery", SLUG, "--country", "CH", "--channel", "post"),
            *("--date", day, "--package", str(zip_path)),
        ]
    )
    assert recorded.exit_code == 0, recorded.output
    with app.app_context():
        from campaign.models import Delivery

        delivery_id = db.session.scalar(select(Delivery.id).order_by(Delivery.id.desc()))
    return zip_path, delivery_id


def check(client, receipt: dict | str):
    text = receipt if isinstance(receipt, str) else json.dumps(receipt)
    return client.post(f"/petitions/{SLUG}/verify", data={"receipt": text})


def readme_snippet() -> str:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- receipts-offline-check", 1)[1]
    return block.split("```python\n", 1)[1].split("```", 1)[0]


def run_offline(tmp_path: Path, receipt: dict, proof: dict, manifest: dict) -> None:
    """The README's snippet, run as a signer would in a folder with the three files."""
    folder = tmp_path / "offline"
    folder.mkdir(exist_ok=True)
    for name, content in [("receipt", receipt), ("proof", proof), ("manifest", manifest)]:
        (folder / f"{name}.json").write_text(json.dumps(content))
    import os

    here = os.getcwd()
    os.chdir(folder)
    try:
        exec(compile(readme_snippet(), "README.md", "exec"), {"print": lambda *a: None})
    finally:
        os.chdir(here)


@pytest.fixture
def ready(app, petition):
    return petition


def test_a_signer_proves_inclusion_on_the_site_and_offline(app, client, smtp, ready, tmp_path):
    html = confirm_signature(app, client, smtp)
    assert "Your receipt" in html
    receipt = download_receipt(client, html)
    assert receipt["format"] == "campaign-receipt/1" and receipt["country"] == "CH"
    assert NAME not in json.dumps(receipt) and EMAIL not in json.dumps(receipt)

    # Before any delivery: nothing to check yet.
    page = check(client, receipt).get_data(as_text=True)
    assert "Nothing has been delivered to this government yet." in page

    zip_path, delivery_id = deliver(app, tmp_path)
    with zipfile.ZipFile(zip_path) as archive:
        manifest_bytes = archive.read("CH/manifest.json")
        signed_root = json.loads(archive.read("CH/signed_root.json"))
    manifest = json.loads(manifest_bytes)

    checked = check(client, receipt)
    assert checked.status_code == 200
    page = checked.get_data(as_text=True)
    assert "included: leaf 1 of 1." in page and manifest["receipts"]["root_hash"] in page
    # The public record shows the root.
    assert manifest["receipts"]["root_hash"] in client.get(f"/petitions/{SLUG}/deliveries").text

    proof = client.get(
        f"/petitions/{SLUG}/deliveries/{delivery_id}/proof/{receipt['leaf_hash']}"
    ).get_json()
    assert proof["root_hash"] == manifest["receipts"]["root_hash"]
    assert proof["delivery"]["manifest_sha256"] == hashlib.sha256(manifest_bytes).hexdigest()
    assert proof["signed_root"]["signature"] == signed_root["signature"]
    run_offline(tmp_path, receipt, proof, manifest)

    # Tampered proof, root or receipt: the offline check fails.
    bad_path = {**proof, "inclusion_path": [*proof["inclusion_path"], "00" * 32]}
    bad_root = {**manifest, "receipts": {**manifest["receipts"], "root_hash": "11" * 32}}
    bad_secret = {**receipt, "secret": "22" * 32}
    tampered = [(receipt, bad_path, manifest), (receipt, proof, bad_root)]
    for r, p, m in [*tampered, (bad_secret, proof, manifest)]:
        with pytest.raises(AssertionError):
            run_offline(tmp_path, r, p, m)


def test_a_tampered_receipt_fails_on_the_site(app, client, smtp, ready, tmp_path):
    receipt = download_receipt(client, confirm_signature(app, client, smtp))
    deliver(app, tmp_path)
    # Changed without its leaf hash: refused as altered.
    altered = {**receipt, "country": "FR"}
    response = check(client, altered)
    assert response.status_code == 400 and "was altered" in response.text
    # Changed consistently (a forged secret, its own leaf): in no delivery, state not told.
    forged = {**receipt, "secret": "33" * 32}
    forged.pop("leaf_hash")
    page = check(client, forged).get_data(as_text=True)
    assert "included:" not in page and "not included." in page
    assert "withdrew" not in page


def test_withdrawn_after_a_delivery_stays_in_it_and_leaves_the_next(
    app, client, smtp, ready, tmp_path
):
    html = confirm_signature(app, client, smtp)
    receipt = download_receipt(client, html)
    confirm_signature(app, app.test_client(), smtp, "grace@example.org", "Grace Hopper")
    _zip, first = deliver(app, tmp_path)

    # The signer withdraws from their own page (the link in their emails).
    signature_links = links_in(smtp.messages[0], "signature")
    withdrawn = press_button(client, local_path(signature_links[0]), "submit")
    assert withdrawn.status_code == 200
    with app.app_context():
        row = db.session.scalar(
            select(Signature).where(Signature.public_id == receipt["public_id"])
        )
        assert row.status == "withdrawn" and row.receipt_secret is None and row.name is None
    _zip, second = deliver(app, tmp_path, day_offset=0)

    page = check(client, receipt).get_data(as_text=True)
    assert "You withdrew this signature on" in page
    assert "included: leaf" in page and "not included." in page
    ok = client.get(f"/petitions/{SLUG}/deliveries/{first}/proof/{receipt['leaf_hash']}")
    assert ok.status_code == 200 and ok.get_json()["tree_size"] == 2
    gone = client.get(f"/petitions/{SLUG}/deliveries/{second}/proof/{receipt['leaf_hash']}")
    assert gone.status_code == 404


def test_the_root_is_signed_by_the_published_key(app, client, smtp, ready, tmp_path):
    confirm_signature(app, client, smtp)
    zip_path, _id = deliver(app, tmp_path)
    with zipfile.ZipFile(zip_path) as archive:
        manifest_sha = hashlib.sha256(archive.read("CH/manifest.json")).hexdigest()
        manifest = json.loads(archive.read("CH/manifest.json"))
        signed = json.loads(archive.read("CH/signed_root.json"))
    published = client.get("/receipts/signing-key").get_json()
    assert published["public_key"] == signed["public_key"]
    assert client.get("/receipts/signing-key.pem").text == published["pem"]
    text = signed["signed_text"]
    assert f"root {manifest['receipts']['root_hash']}\n" in text
    assert f"manifest_sha256 {manifest_sha}\n" in text and "tree_size 1\n" in text
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(published["public_key"]))
    key.verify(bytes.fromhex(signed["signature"]), text.encode())
    from cryptography.exceptions import InvalidSignature

    tampered = text.replace(manifest["receipts"]["root_hash"], "44" * 32)
    with pytest.raises(InvalidSignature):
        key.verify(bytes.fromhex(signed["signature"]), tampered.encode())


def test_a_configured_key_is_the_same_on_every_host(make_app, petition):
    seed = "5a" * 32
    keys = {
        make_app(RECEIPT_SIGNING_KEY=seed)
        .test_client()
        .get("/receipts/signing-key")
        .json["public_key"]
        for _ in range(2)
    }
    assert len(keys) == 1


def test_public_output_names_nobody(app, client, smtp, ready, tmp_path):
    """Leaves, manifest, proofs and the deliveries page: no name, address or public id, and a
    leaf cannot be recomputed from the signature's facts without its secret."""
    receipt = download_receipt(client, confirm_signature(app, client, smtp))
    zip_path, delivery_id = deliver(app, tmp_path)
    with zipfile.ZipFile(zip_path) as archive:
        public = [archive.read(f"CH/{n}") for n in ("manifest.json", "signed_root.json")]
    public.append(client.get(f"/petitions/{SLUG}/deliveries").data)
    public.append(
        client.get(f"/petitions/{SLUG}/deliveries/{delivery_id}/proof/{receipt['leaf_hash']}").data
    )
    for blob in public:
        for secret_thing in (NAME, EMAIL, receipt["public_id"], receipt["secret"]):
            assert secret_thing.encode() not in blob
    with app.app_context():
        stored = b"".join(db.session.scalars(select(ReceiptLeafChunk.leaves)))
    guesses = [
        merkle.hash_leaf(
            f"{receipt['public_id']}{receipt['country']}{receipt['confirmed_on']}".encode()
        ),
        merkle.hash_leaf(receipt["public_id"].encode()),
    ]
    assert all(g not in stored for g in guesses)
    assert bytes.fromhex(receipt["leaf_hash"]) in stored


@pytest.mark.parametrize(
    ("leaf", "status"),
    [("zz" * 32, 400), ("ab" * 31, 400), ("AB" * 32, 400), ("ab" * 33, 400), ("ab" * 32, 404)],
)
def test_the_proof_endpoint_refuses_bad_leaves(app, client, smtp, ready, tmp_path, leaf, status):
    confirm_signature(app, client, smtp)
    _zip, delivery_id = deliver(app, tmp_path)
    response = client.get(f"/petitions/{SLUG}/deliveries/{delivery_id}/proof/{leaf}")
    assert response.status_code == status and "error" in response.get_json()
    assert client.get(f"/petitions/{SLUG}/deliveries/999999/proof/{'ab' * 32}").status_code == 404
