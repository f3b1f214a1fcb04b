"""events: an event per call, its text per language, registrations, reminders; outbox
rows that name a registration and carry attachments (the .ics)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 11:42:50.507442

Written against 0022 beside the publications' 0023, and chained after it at merge; an
event may be the launch of a publication (``publication_id``).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('publication_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('spoken_languages', sa.JSON(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('recording_url', sa.String(length=500), nullable=True),
    sa.Column('recording_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lock_version', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_event_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_event_ends_after_start')),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_event_petition_id_petition'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_event_publication_id_publication'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('slug', name=op.f('uq_event_slug'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_publication_id'), ['publication_id'], unique=False)

    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('email_canonical', sa.String(length=320), nullable=True),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('privacy_version', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('promoted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'place', 'waiting', 'cancelled')", name=op.f('ck_event_registration_status')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_registration_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
    sa.UniqueConstraint('public_id', name=op.f('uq_event_registration_public_id'))
    )
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registration_email_canonical'), ['email_canonical'], unique=False)
        batch_op.create_index('ix_event_registration_queue', ['event_id', 'status', 'confirmed_at'], unique=False)
        batch_op.create_index('uq_event_registration_active', ['event_id', 'email_canonical'], unique=True, sqlite_where=sa.text("status IN ('place', 'waiting')"), postgresql_where=sa.text("status IN ('place', 'waiting')"))

    op.create_table('event_translation',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description_markdown', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_translation_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'language', name=op.f('pk_event_translation'))
    )
    op.create_table('event_reminder',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('day', 'hour', 'recording')", name=op.f('ck_event_reminder_kind')),
    sa.ForeignKeyConstraint(['registration_id'], ['event_registration.id'], name=op.f('fk_event_reminder_registration_id_event_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'kind', name=op.f('pk_event_reminder'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_registration_id'), ['registration_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_registration_id_event_registration'), 'event_registration', ['registration_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_registration_id_event_registration'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_registration_id'))
        batch_op.drop_column('attachments')
        batch_op.drop_column('registration_id')

    op.drop_table('event_reminder')
    op.drop_table('event_translation')
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_index('uq_event_registration_active', sqlite_where=sa.text("status IN ('place', 'waiting')"), postgresql_where=sa.text("status IN ('place', 'waiting')"))
        batch_op.drop_index('ix_event_registration_queue')
        batch_op.drop_index(batch_op.f('ix_event_registration_email_canonical'))

    op.drop_table('event_registration')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_publication_id'))
        batch_op.drop_index(batch_op.f('ix_event_petition_id'))

    op.drop_table('event')
