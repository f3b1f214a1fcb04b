"""what each call translation was written against (source version and digest)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 10:00:00.000000

Translations that exist before this migration get 0 and "": nobody recorded
which main text they were checked against, so the organisers' page asks for
them to be checked rather than calling them up to date.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('petition_translation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('source_digest', sa.String(length=64), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('petition_translation', schema=None) as batch_op:
        batch_op.drop_column('source_digest')
        batch_op.drop_column('source_version')
