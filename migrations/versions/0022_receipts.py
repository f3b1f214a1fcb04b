"""receipts: a secret per signature, a Merkle tree per delivery package

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-10 00:00:00.000000

Each confirmed signature gets a random secret (its receipt's); each package
built stores the RFC 9162 tree over its signatures' leaves, signed by the
site, and the leaves themselves in chunks, so proofs outlive erasure.
Every signature already held gets its secret here (pending ones too:
new rows get one on insert, and a fresh one when confirmed), so every
signature a package will hold has a leaf.
"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt_secret', sa.LargeBinary(length=32), nullable=True))
    _give_secrets()

    op.create_table('receipt_tree',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('tree_size', sa.Integer(), nullable=False),
    sa.Column('root_hash', sa.String(length=64), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.Column('signed_text', sa.Text(), nullable=False),
    sa.Column('chunk_size', sa.Integer(), nullable=False),
    sa.Column('chunk_roots', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['delivery_package.id'], name=op.f('fk_receipt_tree_package_id_delivery_package'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_tree')),
    sa.UniqueConstraint('package_id', name=op.f('uq_receipt_tree_package_id'))
    )
    op.create_table('receipt_leaf_chunk',
    sa.Column('tree_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('first_leaf', sa.LargeBinary(length=32), nullable=False),
    sa.Column('leaves', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['tree_id'], ['receipt_tree.id'], name=op.f('fk_receipt_leaf_chunk_tree_id_receipt_tree'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tree_id', 'number', name=op.f('pk_receipt_leaf_chunk'))
    )
    with op.batch_alter_table('receipt_leaf_chunk', schema=None) as batch_op:
        batch_op.create_index('ix_receipt_leaf_chunk_first', ['tree_id', 'first_leaf'], unique=False)


def _give_secrets():
    """A random secret for each signature held, a thousand rows per statement."""
    connection = op.get_bind()
    signature = sa.table('signature', sa.column('id'), sa.column('receipt_secret'))
    ids = [row.id for row in connection.execute(
        sa.select(signature.c.id).where(signature.c.receipt_secret.is_(None))
    )]
    statement = (
        signature.update()
        .where(signature.c.id == sa.bindparam('row_id'))
        .values(receipt_secret=sa.bindparam('secret'))
    )
    for start in range(0, len(ids), 1000):
        connection.execute(statement, [
            {'row_id': i, 'secret': secrets.token_bytes(32)} for i in ids[start:start + 1000]
        ])


def downgrade():
    with op.batch_alter_table('receipt_leaf_chunk', schema=None) as batch_op:
        batch_op.drop_index('ix_receipt_leaf_chunk_first')
    op.drop_table('receipt_leaf_chunk')
    op.drop_table('receipt_tree')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('receipt_secret')
