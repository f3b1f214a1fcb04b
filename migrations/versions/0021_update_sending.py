"""update sending: targeting, scheduling, the confirmed number, figures per message

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 00:00:00.000000

An update can go to some countries and/or languages only, be scheduled for a
later time (a new state, 'scheduled'), records the number of recipients the
organiser confirmed by typing it and when its last batch was queued; each
delivery row names its outbox message, so the update's figures (sent,
bounced) come from the outbox.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

NEW_STATUSES = "status IN ('draft', 'scheduled', 'sending', 'sent')"
OLD_STATUSES = "status IN ('draft', 'sending', 'sent')"


def upgrade():
    with op.batch_alter_table("supporter_update", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target_countries", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("target_languages", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("confirmed_recipients", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("queued_all_at", sa.DateTime(timezone=True), nullable=True))
        # Not detected by autogenerate: the status check gains 'scheduled'.
        batch_op.drop_constraint(op.f("ck_supporter_update_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_supporter_update_status"), NEW_STATUSES)

    with op.batch_alter_table("update_delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outbox_message_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_update_delivery_outbox_message_id"), ["outbox_message_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_update_delivery_outbox_message_id_outbox_message"),
            "outbox_message",
            ["outbox_message_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    # The old schema has no scheduled state: a scheduled update goes back to a draft.
    op.execute("UPDATE supporter_update SET status = 'draft' WHERE status = 'scheduled'")
    with op.batch_alter_table("update_delivery", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_update_delivery_outbox_message_id_outbox_message"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_update_delivery_outbox_message_id"))
        batch_op.drop_column("outbox_message_id")

    with op.batch_alter_table("supporter_update", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_supporter_update_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_supporter_update_status"), OLD_STATUSES)
        batch_op.drop_column("queued_all_at")
        batch_op.drop_column("confirmed_recipients")
        batch_op.drop_column("scheduled_for")
        batch_op.drop_column("target_languages")
        batch_op.drop_column("target_countries")
