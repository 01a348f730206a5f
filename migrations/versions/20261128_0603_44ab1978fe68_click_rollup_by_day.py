"""Clicks rolled up per link and UTC day, so reports at a million clicks stay interactive.

Reviewed by hand: two new tables, nothing to migrate (the rollup fills itself from clicks
the first time a report needs it).

Revision ID: 44ab1978fe68
Revises: ea48b53bcd3d
Create Date: 2026-11-28 06:03:27.319639

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '44ab1978fe68'
down_revision = 'ea48b53bcd3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_marks',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('through', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_rollup_marks'))
    )
    op.create_table('click_days',
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('humans', sa.Integer(), nullable=False),
    sa.Column('bots', sa.Integer(), nullable=False),
    sa.Column('qr', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_click_days_link_id_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('link_id', 'day', name=op.f('pk_click_days'))
    )
    with op.batch_alter_table('click_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_click_days_day'), ['day'], unique=False)



def downgrade():
    with op.batch_alter_table('click_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_click_days_day'))

    op.drop_table('click_days')
    op.drop_table('rollup_marks')
