"""updates to supporters in other languages (supporter_update_translation)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 10:00:00.000000

An update's subject and text per language, with what it was written against
(the update's subject and text, and their digest) so a change to the update
marks it out of date. A new table: nothing existing is carried over.

Numbered 0016 because 0014 and 0015 were written at the same time on other
branches: whichever is merged after them has its down_revision pointed at the
last of them, so the chain stays single-headed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supporter_update_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body_markdown', sa.Text(), nullable=False),
    sa.Column('source_subject', sa.String(length=200), nullable=False),
    sa.Column('source_body_markdown', sa.Text(), nullable=False),
    sa.Column('source_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['update_id'], ['supporter_update.id'], name=op.f('fk_supporter_update_translation_update_id_supporter_update'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['organiser.id'], name=op.f('fk_supporter_update_translation_updated_by_id_organiser')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supporter_update_translation')),
    sa.UniqueConstraint('update_id', 'language', name=op.f('uq_supporter_update_translation_update_id_language'))
    )


def downgrade():
    op.drop_table('supporter_update_translation')
