"""package jobs: a delivery package asked for in the back office is built by a worker

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 00:11:15.727694

Building the all-countries package held the browser for seconds, minutes at
100,000 signatures. The request now writes a queued row; `flask export work`
claims it with a lease (as the outbox does), builds the package and writes
its progress into the row, which every web process can show.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('package_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress_done', sa.Integer(), server_default='0', nullable=False),
    sa.Column('progress_total', sa.Integer(), server_default='0', nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('zip_name', sa.String(length=200), nullable=True),
    sa.Column('package_ids', sa.JSON(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('lease_owner', sa.String(length=64), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_package_job_status')),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_package_job_petition_id_petition')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['organiser.id'], name=op.f('fk_package_job_requested_by_id_organiser')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_job')),
    sa.UniqueConstraint('zip_name', name=op.f('uq_package_job_zip_name'))
    )
    with op.batch_alter_table('package_job', schema=None) as batch_op:
        batch_op.create_index('ix_package_job_due', ['status', 'lease_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_job_petition_id'), ['petition_id'], unique=False)



def downgrade():
    with op.batch_alter_table('package_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_job_petition_id'))
        batch_op.drop_index('ix_package_job_due')

    op.drop_table('package_job')
