"""Receipts benchmark (issue 17): a delivery's Merkle tree for a million signatures.

Run with ``.venv/bin/python bench/receipts.py [--size N] [--proofs N]``. In a
fresh SQLite database (``flask db upgrade``), it measures:

* **tree**: the leaves of N signatures (each a salted commitment, computed
  as the package builder does, from a public id, a 32-byte secret, a
  country and a date), sorted, hashed into the RFC 9162 tree, signed, and
  stored with its chunks of leaves (``receipts.trees``), committed. Target
  for 1,000,000: under 30 s and under 500 MB (peak resident memory of this
  process, which includes Python and the app).
* **proof**: proofs of randomly chosen leaves, read from the database as a
  request would (``trees.prove``), and served through the app
  (``GET /petitions/<slug>/deliveries/<id>/proof/<leaf>``, the Flask test
  client, so without a network). Target: under 50 ms each.

Reading the million rows the leaves come from is part of building the
package (``bench/delivery.py``); here the rows are made in memory, one at a
time, as the builder streams them.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--proofs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="campaign-bench-") as work:
        os.environ.update(
            CAMPAIGN_ENV="development",
            DATABASE_URL=f"sqlite:///{work}/bench.sqlite",
            EXPORT_DIR=f"{work}/exports",
        )
        from export import flask

        env = dict(os.environ)
        for command in (["db", "upgrade"], ["seed-demo"]):
            flask(env, *command)
        run(args.size, args.proofs)


def run(size: int, proofs: int) -> None:
    from campaign import create_app
    from campaign.extensions import db
    from campaign.models import DeliveryPackage, Petition
    from campaign.receipts import trees

    app = create_app()
    with app.app_context():
        petition = db.session.scalar(db.select(Petition))
        package = DeliveryPackage(
            petition_id=petition.id,
            recipient_country="CH",
            signature_count=size,
            language="en",
            mode="names",
            manifest_sha256="0" * 64,
        )
        db.session.add(package)
        db.session.commit()
        rng = random.Random(17)
        day = date(2026, 1, 1).isoformat()
        before = peak_mb()
        started = time.perf_counter()
        cpu = time.process_time()
        collector = trees.LeafCollector()
        for n in range(size):
            collector.add(f"signature{n:010d}", secrets.token_bytes(32), "CH", day)
        leaves_done = time.perf_counter()
        tree = trees.build_tree(collector.leaves)
        built = time.perf_counter()
        signed = trees.sign_tree(petition.slug, "CH", tree, "0" * 64)
        trees.record_tree(package.id, tree, signed)
        db.session.commit()
        stored = time.perf_counter()
        cpu = time.process_time() - cpu
        print(f"receipts tree for {size:,} signatures (Python {sys.version.split()[0]})")
        print(f"  leaves computed      {leaves_done - started:7.2f} s")
        print(f"  sorted and hashed    {built - leaves_done:7.2f} s")
        print(f"  signed and stored    {stored - built:7.2f} s")
        print(f"  total                {stored - started:7.2f} s wall, {cpu:.2f} s CPU")
        print(f"  peak resident memory {peak_mb():7.0f} MB (before: {before:.0f} MB)")
        sample = rng.sample(collector.leaves, min(proofs, size))
        del collector, tree
        prove_times(app, petition, package.id, sample)


def prove_times(app, petition, package_id: int, sample: list[bytes]) -> None:
    from campaign.extensions import db
    from campaign.models import Delivery, ReceiptTree
    from campaign.receipts import merkle, trees

    delivery = Delivery(
        petition_id=petition.id,
        package_id=package_id,
        country="CH",
        delivered_on=date.today(),
        channel="post",
        body="Bench",
        handed_over_by="bench",
        signature_count=0,
        manifest_sha256="0" * 64,
    )
    db.session.add(delivery)
    db.session.commit()
    row = db.session.scalar(db.select(ReceiptTree).where(ReceiptTree.package_id == package_id))
    root = bytes.fromhex(row.root_hash)
    direct = []
    for leaf in sample:
        db.session.expire_all()
        started = time.perf_counter()
        tree = trees.tree_of(delivery)
        index, path = trees.prove(tree, leaf)
        direct.append(time.perf_counter() - started)
        assert merkle.verify_inclusion(leaf, index, tree.tree_size, path, root)
    client = app.test_client()
    served = []
    for leaf in sample:
        started = time.perf_counter()
        response = client.get(
            f"/petitions/{petition.slug}/deliveries/{delivery.id}/proof/{leaf.hex()}"
        )
        served.append(time.perf_counter() - started)
        assert response.status_code == 200
    for label, times in (("read and proved", direct), ("served over HTTP", served)):
        ms = sorted(t * 1000 for t in times)
        p95 = ms[int(len(ms) * 0.95) - 1]
        print(
            f"  proof {label:<17} median {statistics.median(ms):5.1f} ms,"
            f" p95 {p95:5.1f} ms, max {ms[-1]:5.1f} ms ({len(ms)} proofs)"
        )


if __name__ == "__main__":
    main()
