"""governments: targets, packages as drafts, recorded deliveries, answers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 19:37:06.547427

Until now building a package recorded it as a public "delivery". Those rows
become drafts (delivery_package): nothing was handed to anyone by building
one. The delivery table is made anew for deliveries an organiser records.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery_package',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('recipient_country', sa.String(length=2), nullable=False),
    sa.Column('signature_count', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('zip_name', sa.String(length=200), nullable=True),
    sa.Column('built_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mode IN ('names', 'counts_only')", name=op.f('ck_delivery_package_mode')),
    sa.ForeignKeyConstraint(['built_by_id'], ['organiser.id'], name=op.f('fk_delivery_package_built_by_id_organiser')),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_delivery_package_petition_id_petition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_package'))
    )
    with op.batch_alter_table('delivery_package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_package_manifest_sha256'), ['manifest_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_package_petition_id'), ['petition_id'], unique=False)

    op.create_table('government_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('body', sa.String(length=300), nullable=False),
    sa.Column('emails', sa.Text(), nullable=False),
    sa.Column('postal_address', sa.Text(), nullable=False),
    sa.Column('languages', sa.String(length=40), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('threshold_reached_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('bounced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('bounce_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_government_target_petition_id_petition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_government_target')),
    sa.UniqueConstraint('petition_id', 'country', name=op.f('uq_government_target_petition_id_country'))
    )
    with op.batch_alter_table('government_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_government_target_petition_id'), ['petition_id'], unique=False)

    # The packages built so far were drafts all along: they move, and nothing is public.
    op.execute(
        "INSERT INTO delivery_package (id, petition_id, recipient_country, signature_count,"
        " language, mode, manifest_sha256, created_at)"
        " SELECT id, petition_id, recipient_country, signature_count, language, mode,"
        " manifest_sha256, created_at FROM delivery"
    )
    _continue_ids_after_copy('delivery_package')
    # Building a package used to set delivered_at, which starts retention's erasure
    # clock; no delivery has been recorded yet, so none has started.
    op.execute("UPDATE petition SET delivered_at = NULL")
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_petition_id')
    op.drop_table('delivery')
    _create_deliveries()
    _create_responses()

    with op.batch_alter_table('petition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_wait_days', sa.Integer(), server_default='60', nullable=False))

    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('government_news', sa.Boolean(), server_default=sa.false(), nullable=False))



def _continue_ids_after_copy(table):
    """PostgreSQL: new rows of ``table`` take ids after the ones copied in with theirs."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


def _create_deliveries():
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('body', sa.String(length=300), nullable=False),
    sa.Column('handed_over_by', sa.String(length=200), nullable=False),
    sa.Column('signature_count', sa.Integer(), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('email', 'by_hand', 'post', 'portal')", name=op.f('ck_delivery_channel')),
    sa.ForeignKeyConstraint(['package_id'], ['delivery_package.id'], name=op.f('fk_delivery_package_id_delivery_package')),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_delivery_petition_id_petition')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['organiser.id'], name=op.f('fk_delivery_recorded_by_id_organiser')),
    sa.ForeignKeyConstraint(['target_id'], ['government_target.id'], name=op.f('fk_delivery_target_id_government_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    sa.UniqueConstraint('package_id', name=op.f('uq_delivery_package_id'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_target_id'), ['target_id'], unique=False)


def _create_responses():
    op.create_table('government_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=False),
    sa.Column('stance', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.String(length=1000), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stance IN ('supports', 'partly_supports', 'declines', 'acknowledged')", name=op.f('ck_government_response_stance')),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_government_response_delivery_id_delivery')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['organiser.id'], name=op.f('fk_government_response_recorded_by_id_organiser')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_government_response')),
    sa.UniqueConstraint('delivery_id', name=op.f('uq_government_response_delivery_id'))
    )


def downgrade():
    # Recorded deliveries and answers go; the drafts return to the old delivery table.
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('government_news')
    with op.batch_alter_table('petition', schema=None) as batch_op:
        batch_op.drop_column('reply_wait_days')
    op.drop_table('government_response')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_target_id')
        batch_op.drop_index('ix_delivery_petition_id')
    op.drop_table('delivery')
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('recipient_country', sa.String(length=2), nullable=False),
    sa.Column('signature_count', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mode IN ('names', 'counts_only')", name=op.f('ck_delivery_mode')),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_delivery_petition_id_petition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_petition_id', ['petition_id'], unique=False)
    op.execute(
        "INSERT INTO delivery (id, petition_id, recipient_country, signature_count, language,"
        " mode, manifest_sha256, created_at) SELECT id, petition_id, recipient_country,"
        " signature_count, language, mode, manifest_sha256, created_at FROM delivery_package"
    )
    _continue_ids_after_copy('delivery')
    op.drop_table('government_target')
    op.drop_table('delivery_package')
