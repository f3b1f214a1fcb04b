"""pending submissions are each their own; one confirmed signature per mailbox and call;
the signing email allowance

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:30:00.000000

Until now a second submission with the same mailbox merged into the first
pending row, so whoever typed an address first decided what its owner
confirmed. Uniqueness now holds among confirmed signatures only (a partial
unique index), and every submission keeps its own name and choices. The
emails a mailbox may receive from the sign form are counted per period in
signing_allowance, keyed by a hash that names nobody.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

CONFIRMED = sa.text("status = 'confirmed'")


def upgrade():
    op.create_table(
        'signing_allowance',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('sent', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_signing_allowance')),
    )
    with op.batch_alter_table('signing_allowance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_allowance_expires_at'), ['expires_at'], unique=False)
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_constraint('uq_signature_petition_id_email_canonical', type_='unique')
        batch_op.create_index(
            'ix_signature_petition_email', ['petition_id', 'email_canonical', 'created_at']
        )
    op.create_index(
        'uq_signature_confirmed_email',
        'signature',
        ['petition_id', 'email_canonical'],
        unique=True,
        sqlite_where=CONFIRMED,
        postgresql_where=CONFIRMED,
    )


def downgrade():
    op.drop_table('signing_allowance')
    # Fails while a mailbox has several submissions on one call: discard them first.
    op.drop_index('uq_signature_confirmed_email', table_name='signature')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index('ix_signature_petition_email')
        batch_op.create_unique_constraint(
            'uq_signature_petition_id_email_canonical', ['petition_id', 'email_canonical']
        )
