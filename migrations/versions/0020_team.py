"""team: administrators invite organisers by email

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 00:00:00.000000

An invited account has no password yet (an empty hash, which matches nothing) and
`invited_at` says when its invitation was last sent; setting a password clears it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.drop_column('invited_at')
