"""KPI targets: the program's goals in multiples (contract §9).

Reviewed by hand: one table. A target names a metric (``leads``, ``customers``, ``revenue``,
``active_partners``), a segment or none (the whole program), the baseline's days, the
multiple to reach in ``horizon_months`` and the first day of its first month. Progress is
computed from leads and payments, never stored. Checks keep the multiple positive, the
horizon within ten years and the baseline in order on both databases. Targets outlive the
user who set them (SET NULL). A handful of rows, read whole: no index beyond the key.

Revision ID: 7c1e4a9b2d60
Revises: 9ac57a511164
Create Date: 2026-12-04 22:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c1e4a9b2d60'
down_revision = '9ac57a511164'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kpi_targets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column(
            'metric',
            sa.Enum('leads', 'customers', 'revenue', 'active_partners', name='metric',
                    native_enum=False, create_constraint=True, length=23),
            nullable=False,
        ),
        sa.Column('segment', sa.String(length=40), nullable=True),
        sa.Column('baseline_from', sa.Date(), nullable=False),
        sa.Column('baseline_to', sa.Date(), nullable=False),
        sa.Column('multiple', sa.Numeric(precision=8, scale=4), nullable=False),
        sa.Column('horizon_months', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('multiple > 0', name=op.f('ck_kpi_targets_multiple_positive')),
        sa.CheckConstraint('horizon_months >= 1 AND horizon_months <= 120', name=op.f('ck_kpi_targets_horizon_in_range')),
        sa.CheckConstraint('baseline_to >= baseline_from', name=op.f('ck_kpi_targets_baseline_in_order')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_kpi_targets_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_targets')),
    )


def downgrade():
    op.drop_table('kpi_targets')
