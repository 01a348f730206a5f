"""Campaigns get a default landing URL: links are issued to every partner from it.

Reviewed by hand: one nullable column, no data to move; SQLite adds it without a rebuild.

Revision ID: ea48b53bcd3d
Revises: 414e8e4159cb
Create Date: 2026-11-28 04:10:42.828712

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ea48b53bcd3d'
down_revision = '414e8e4159cb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('landing_url', sa.String(length=2048), nullable=True))


def downgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('landing_url')
