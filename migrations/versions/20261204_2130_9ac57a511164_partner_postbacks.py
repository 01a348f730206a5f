"""Partner postbacks: the endpoints where partners hear of their own leads' events.

Reviewed by hand (contract §8): one table. A partner's endpoint keeps its URL (checked when
added and before every call), the events it asked for (a JSON list of names), whether it is
active, and the secret that signs every postback — in clear, since signing needs it; the
partner is shown it once. Endpoints go with their partner (CASCADE) and outlive the user who
added them (SET NULL). Read by partner (the events of a partner's leads), so that is indexed.

Revision ID: 9ac57a511164
Revises: 6659aea2671c
Create Date: 2026-12-04 21:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '9ac57a511164'
down_revision = '6659aea2671c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'postback_endpoints',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=2048), nullable=False),
        sa.Column('secret', sa.String(length=100), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_postback_endpoints_partner_id_partners'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_postback_endpoints_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_postback_endpoints')),
    )
    with op.batch_alter_table('postback_endpoints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postback_endpoints_partner_id'), ['partner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('postback_endpoints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postback_endpoints_partner_id'))
    op.drop_table('postback_endpoints')
