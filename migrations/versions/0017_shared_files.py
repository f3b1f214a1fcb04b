"""stored files: press snapshots and delivery packages in the database, in chunks

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-05 10:00:00.000000

With a folder per host, a press download differed between hosts and a
package built on one host was missing on the others. Files every host must
read now live in ``stored_file`` (one row per file: kind, call, name, size,
SHA-256, and while it is written, the unique ``writer_key`` its one writer
holds under a lease) and ``stored_file_chunk`` (its bytes, ~1 MB a row, in
order). Packages built before this revision stay in the old folder, which
the site no longer reads: build them again to serve them (see docs/deploy.md).
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('writer_key', sa.String(length=120), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('press', 'package')", name=op.f('ck_stored_file_kind')),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_stored_file_petition_id_petition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('writer_key', name=op.f('uq_stored_file_writer_key'))
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index('ix_stored_file_owner', ['kind', 'petition_id', 'name'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_file_petition_id'), ['petition_id'], unique=False)

    op.create_table('stored_file_chunk',
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_stored_file_chunk_file_id_stored_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('file_id', 'seq', name=op.f('pk_stored_file_chunk'))
    )


def downgrade():
    op.drop_table('stored_file_chunk')
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_petition_id'))
        batch_op.drop_index('ix_stored_file_owner')

    op.drop_table('stored_file')
