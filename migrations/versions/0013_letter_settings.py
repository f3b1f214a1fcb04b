"""letters: the organisation's settings and each call's cover texts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 00:23:02.996018

A delivery's cover letter comes from the organisation (its letterhead, the
place it writes from, who signs) and opens with a text the call's editors
write per language. Both live in the database so every web process and the
package worker read the same: one settings row (id 1, logo as PNG bytes) and
a cover text per call and language.

Numbered 0013 because 0012 (package jobs) was written at the same time on
another branch: whichever of the two is merged second has its down_revision
pointed at the other, so the chain stays single-headed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letter_cover_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_letter_cover_text_petition_id_petition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['organiser.id'], name=op.f('fk_letter_cover_text_updated_by_id_organiser')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_cover_text')),
    sa.UniqueConstraint('petition_id', 'language', name=op.f('uq_letter_cover_text_petition_id_language'))
    )
    op.create_table('organisation_settings',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('postal_address', sa.Text(), nullable=False),
    sa.Column('contact_email', sa.String(length=320), nullable=False),
    sa.Column('website', sa.String(length=500), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('place_names', sa.JSON(), nullable=False),
    sa.Column('signatory', sa.String(length=200), nullable=False),
    sa.Column('logo_png', sa.LargeBinary(), nullable=True),
    sa.Column('logo_sha256', sa.String(length=64), nullable=True),
    sa.Column('logo_width', sa.Integer(), nullable=True),
    sa.Column('logo_height', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_organisation_settings_single_row')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['organiser.id'], name=op.f('fk_organisation_settings_updated_by_id_organiser')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_settings'))
    )


def downgrade():
    op.drop_table('organisation_settings')
    op.drop_table('letter_cover_text')
