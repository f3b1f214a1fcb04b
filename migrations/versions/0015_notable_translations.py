"""notables' titles and categories in other languages; the call's organisation text too

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-03 05:22:31.421868

Pages in French and Spanish showed the notable signatories' titles, their
categories and the call's "who runs this call" text in English. Editors now
write them per language: a title's translation keeps the title it was written
against (so a later change marks it out of date), a category's is keyed by the
category's text, and the organisation's text joins the call's own translation.
Existing translations get an empty organisation text: pages show the main one
until an editor translates it.

Numbered 0015 and pointed at 0013 because 0014 was written at the same time on
another branch: whichever is merged second has its down_revision pointed at the
other, so the chain stays single-headed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notable_category_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_notable_category_translation_petition_id_petition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notable_category_translation')),
    sa.UniqueConstraint('petition_id', 'language', 'category', name=op.f('uq_notable_category_translation_petition_id_language_category'))
    )
    op.create_table('notable_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notable_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('source_title', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['notable_id'], ['notable_signatory.id'], name=op.f('fk_notable_translation_notable_id_notable_signatory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notable_translation')),
    sa.UniqueConstraint('notable_id', 'language', name=op.f('uq_notable_translation_notable_id_language'))
    )
    with op.batch_alter_table('petition_translation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_blurb', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('petition_translation', schema=None) as batch_op:
        batch_op.drop_column('organisation_blurb')

    op.drop_table('notable_translation')
    op.drop_table('notable_category_translation')
