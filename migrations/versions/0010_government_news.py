"""government news: announcements of deliveries and answers, and their recipients

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 19:44:56.713243

Signers who ask are told what their government did with the call: a row
per recorded delivery or answer, from which batches resume, and a row per
signer sent it, whose key keeps anyone from getting it twice.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('government_news',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('event', sa.String(length=16), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("event IN ('delivery', 'response')", name=op.f('ck_government_news_event')),
    sa.CheckConstraint("status IN ('sending', 'sent')", name=op.f('ck_government_news_status')),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_government_news_delivery_id_delivery'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_government_news_petition_id_petition')),
    sa.ForeignKeyConstraint(['response_id'], ['government_response.id'], name=op.f('fk_government_news_response_id_government_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_government_news')),
    sa.UniqueConstraint('delivery_id', 'event', name=op.f('uq_government_news_delivery_id_event'))
    )
    with op.batch_alter_table('government_news', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_government_news_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_government_news_status'), ['status'], unique=False)

    op.create_table('government_news_recipient',
    sa.Column('news_id', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['news_id'], ['government_news.id'], name=op.f('fk_government_news_recipient_news_id_government_news'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signature_id'], ['signature.id'], name=op.f('fk_government_news_recipient_signature_id_signature')),
    sa.PrimaryKeyConstraint('news_id', 'signature_id', name=op.f('pk_government_news_recipient'))
    )


def downgrade():
    op.drop_table('government_news_recipient')
    with op.batch_alter_table('government_news', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_government_news_status'))
        batch_op.drop_index(batch_op.f('ix_government_news_petition_id'))

    op.drop_table('government_news')
