"""Used request signatures: a signed intake request is accepted once.

Reviewed by hand: one small table keyed by the HMAC (hex); rows older than three times the
signatures' tolerance are deleted as new ones arrive, by ``used_at`` (indexed).

Revision ID: e5f1a7c3d9b2
Revises: d4e8b2c6f9a0
Create Date: 2026-12-04 20:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5f1a7c3d9b2'
down_revision = 'd4e8b2c6f9a0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'used_signatures',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_used_signatures')),
    )
    with op.batch_alter_table('used_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_used_signatures_used_at'), ['used_at'], unique=False)


def downgrade():
    with op.batch_alter_table('used_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_used_signatures_used_at'))
    op.drop_table('used_signatures')
