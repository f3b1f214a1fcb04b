"""signatures: where each form post came from (the link's ref, the embed's partner)

Revision ID: 0014
Revises: 0016
Create Date: 2026-12-04 10:00:00.000000

A submission records the ``ref`` of the link that brought its signer (a
short slug) and the ``partner`` whose embed it was posted from (a partner's
name as petitions/partners.py makes it), NULL for none. The dashboard counts
form posts and counted signatures by each; the index on a call's rows by
state gains both columns, so that count reads the index alone, as the totals
by state already did. Submissions
deleted before they were confirmed (another one of the mailbox confirmed,
"not me", or never confirmed in time) leave their count in
``discarded_posts``, so the form posts shown stay what was posted.

Written against 0013 at the same time as 0015 and 0016 on other branches,
which were merged first: as the project does for migrations written side by
side, the one merged second points its down_revision at the other's head, so
the chain stays single-headed and a database already at 0016 still gets this
one (pointing 0015 at 0014 instead would leave such a database without it).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('discarded_posts',
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('partner', sa.String(length=64), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_discarded_posts_petition_id_petition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('petition_id', 'ref', 'partner', name=op.f('pk_discarded_posts'))
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('partner', sa.String(length=64), nullable=True))
        batch_op.drop_index('ix_signature_petition_state')
        batch_op.create_index(
            'ix_signature_petition_state_source',
            ['petition_id', 'status', 'validity', 'ref', 'partner'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index('ix_signature_petition_state_source')
        batch_op.create_index(
            'ix_signature_petition_state', ['petition_id', 'status', 'validity'], unique=False
        )
        batch_op.drop_column('partner')
        batch_op.drop_column('ref')

    op.drop_table('discarded_posts')
