"""The platform a webinar is held on, for pulling its attendance.

Reviewed by hand (contract §12). Webinars gain ``platform`` (``mts_link`` or ``zoom``; NULL:
none, attendance comes only from uploads), the platform's own id of the event
(``platform_event_id``: Zoom's meeting id, MTS Link's event session id) and when its
registrants and participants were last pulled (``platform_synced_at``, UTC; the worker pulls a
webinar that ended in the last day and was not pulled since it ended). Existing webinars get
NULL in all three.

Revision ID: 7c9e1a3d5f86
Revises: 6b8d0f2c4e75
Create Date: 2026-12-05 01:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c9e1a3d5f86'
down_revision = '6b8d0f2c4e75'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('webinars', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('platform', sa.Enum('mts_link', 'zoom', name='platform', native_enum=False, create_constraint=True, length=16), nullable=True)
        )
        batch_op.add_column(sa.Column('platform_event_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('platform_synced_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('webinars', schema=None) as batch_op:
        batch_op.drop_column('platform_synced_at')
        batch_op.drop_column('platform_event_id')
        batch_op.drop_constraint(op.f('ck_webinars_platform'), type_='check')
        batch_op.drop_column('platform')
