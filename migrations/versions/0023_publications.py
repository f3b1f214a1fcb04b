"""publications: reports with texts and a PDF per language, a cover, download counts

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-12 00:00:00.000000

A publication has its texts per language (title, summary, the cover's alt
text), a PDF per language kept in ``stored_file`` (a new kind,
'publication', that belongs to no call: ``petition_id`` becomes nullable)
with a download count per language, and a re-encoded cover image.
Downgrading deletes the publications' files before ``petition_id`` is
required again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

NEW_KINDS = "kind IN ('press', 'package', 'publication')"
OLD_KINDS = "kind IN ('press', 'package')"


def upgrade():
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.alter_column('petition_id', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(op.f('ck_stored_file_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_stored_file_kind'), NEW_KINDS)

    op.create_table('publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_publication_status')),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_publication_petition_id_petition'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication')),
    sa.UniqueConstraint('slug', name=op.f('uq_publication_slug'))
    )
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_petition_id'), ['petition_id'], unique=False)

    op.create_table('publication_translation',
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary_markdown', sa.Text(), nullable=False),
    sa.Column('cover_alt', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_publication_translation_publication_id_publication'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('publication_id', 'language', name=op.f('pk_publication_translation'))
    )
    op.create_table('publication_file',
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('download_count', sa.BigInteger(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_publication_file_publication_id_publication'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_publication_file_stored_file_id_stored_file')),
    sa.PrimaryKeyConstraint('publication_id', 'language', name=op.f('pk_publication_file'))
    )
    with op.batch_alter_table('publication_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_file_stored_file_id'), ['stored_file_id'], unique=False)

    op.create_table('publication_cover',
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_publication_cover_publication_id_publication'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('publication_id', name=op.f('pk_publication_cover'))
    )


def downgrade():
    op.drop_table('publication_cover')
    with op.batch_alter_table('publication_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_file_stored_file_id'))
    op.drop_table('publication_file')
    op.drop_table('publication_translation')
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_petition_id'))
    op.drop_table('publication')

    # The publications' PDFs go with them (chunks first: SQLite's cascade is off here).
    stored_file = sa.table('stored_file', sa.column('id'), sa.column('kind'))
    chunk = sa.table('stored_file_chunk', sa.column('file_id'))
    publication_files = sa.select(stored_file.c.id).where(stored_file.c.kind == 'publication')
    op.execute(chunk.delete().where(chunk.c.file_id.in_(publication_files)))
    op.execute(stored_file.delete().where(stored_file.c.kind == 'publication'))
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_stored_file_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_stored_file_kind'), OLD_KINDS)
        batch_op.alter_column('petition_id', existing_type=sa.Integer(), nullable=False)
