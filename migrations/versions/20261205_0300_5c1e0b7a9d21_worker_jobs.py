"""The worker's scheduled jobs and, in development, the e-mails it sent.

Reviewed by hand. ``scheduled_jobs`` holds one row per scheduled job of ``flask worker``: the
schedule slot it last ran for (``slot_at``, the start of the interval, UTC) and the lease of
the worker running it (``lease_holder`` host:pid, ``lease_until``). A worker runs a job only
after claiming the row with one UPDATE whose WHERE says "this slot not yet run and no live
lease", so each slot runs once however many workers run, on SQLite and PostgreSQL alike. The
row also says how the last run went (start, end, outcome, what the job said, how many runs)
for ``flask worker status``. ``sent_mails`` keeps the e-mails the worker would have sent when
no SMTP server is configured (development), for the staff page that lists them.

Revision ID: 5c1e0b7a9d21
Revises: 8dab2b4e6097
Create Date: 2026-12-05 03:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1e0b7a9d21'
down_revision = '8dab2b4e6097'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    op.create_table(
        'scheduled_jobs',
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('slot_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('next_run_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('lease_holder', sa.String(length=120), nullable=True),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            'outcome',
            sa.Enum('running', 'ok', 'failed', name='outcome', native_enum=False,
                    create_constraint=True, length=15),
            nullable=True,
        ),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('runs', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduled_jobs')),
    )
    op.create_table(
        'sent_mails',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recipient', sa.String(length=320), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('topic', sa.String(length=60), nullable=False),
        sa.Column('outbox_message_id', BIG_ID, nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_mails')),
    )
    with op.batch_alter_table('sent_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_mails_sent_at'), ['sent_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sent_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_mails_sent_at'))
    op.drop_table('sent_mails')
    op.drop_table('scheduled_jobs')
