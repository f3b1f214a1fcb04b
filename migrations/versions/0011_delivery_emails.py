"""delivery emails: a package's download link sent to each of its government's addresses

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 23:07:24.901159

A delivery made by email from the site sends one message per contact
address, each with a signed link of its own; a row per message says which
outbox message carried it and when (and how often) its link was used.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery_email',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_downloaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_downloaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('download_count', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_delivery_email_delivery_id_delivery'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'], name=op.f('fk_delivery_email_outbox_message_id_outbox_message'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['organiser.id'], name=op.f('fk_delivery_email_sent_by_id_organiser')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_email')),
    sa.UniqueConstraint('outbox_message_id', name=op.f('uq_delivery_email_outbox_message_id')),
    sa.UniqueConstraint('public_id', name=op.f('uq_delivery_email_public_id'))
    )
    with op.batch_alter_table('delivery_email', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_email_delivery_id'), ['delivery_id'], unique=False)


def downgrade():
    with op.batch_alter_table('delivery_email', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_email_delivery_id'))

    op.drop_table('delivery_email')
