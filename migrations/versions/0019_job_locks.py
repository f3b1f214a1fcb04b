"""job locks: the periodic jobs can be scheduled on every host, one runs at a time

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 00:00:00.000000

Reconcile, retention, the update and news sending were run by timers on one
host only. Every host now schedules them; the one that takes a job's row in
`job_lock` runs it, the others exit saying another host holds it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_lock',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=100), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_lock'))
    )


def downgrade():
    op.drop_table('job_lock')
