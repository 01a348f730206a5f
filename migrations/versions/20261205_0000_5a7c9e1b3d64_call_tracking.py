"""Call tracking: tracking numbers and the calls they receive.

Reviewed by hand (contract §10). ``call_numbers`` holds each tracking number (E.164, unique):
static ones with their partner and exactly one activity (campaign, webinar or MDF request),
pool ones without a partner, held by a click until a time, with the last assignment (least
recently used reuse) and how often an exhausted pool reused a held number. ``calls`` keeps
each call once (``call_id`` unique: a repeated webhook adds nothing) with the caller (erased
with the person), what it was resolved to and the lead it joined. Conversions and touches gain
the kind ``call`` and API tokens the scope ``calls``: their CHECKs are rebuilt (the columns'
lengths stay, the longest values are unchanged).

Revision ID: 5a7c9e1b3d64
Revises: 4f6b8d0e2a53
Create Date: 2026-12-05 00:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5a7c9e1b3d64'
down_revision = '4f6b8d0e2a53'
branch_labels = None
depends_on = None

CONVERSION_KINDS = "'form', 'api', 'import', 'registration', 'deal_registration'"
TOUCH_KINDS = "'click', 'registration', 'attendance', 'offline', 'utm', 'deal_registration'"
SCOPES = "'full', 'intake'"
# (table, the enum's name, its values before, the value added)
CHECKS = (
    ('conversions', 'kind', CONVERSION_KINDS, 'call'),
    ('touchpoints', 'kind', TOUCH_KINDS, 'call'),
    ('api_tokens', 'scope', SCOPES, 'calls'),
)
ONE_ACTIVITY = (
    "(kind = 'static' AND partner_id IS NOT NULL AND"
    " (CASE WHEN campaign_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN webinar_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN mdf_request_id IS NULL THEN 0 ELSE 1 END) = 1)"
    " OR (kind = 'pool' AND partner_id IS NULL AND campaign_id IS NULL"
    " AND webinar_id IS NULL AND mdf_request_id IS NULL)"
)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _rebuild_checks(added: bool) -> None:
    for table, name, values, value in CHECKS:
        allowed = f"{values}, '{value}'" if added else values
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch_op.create_check_constraint(name, f"{name} IN ({allowed})")


def upgrade():
    op.create_table(
        'call_numbers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column(
            'kind',
            sa.Enum('static', 'pool', name='kind', native_enum=False,
                    create_constraint=True, length=14),
            nullable=False,
        ),
        sa.Column('partner_id', sa.Integer(), nullable=True),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('webinar_id', sa.Integer(), nullable=True),
        sa.Column('mdf_request_id', sa.Integer(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('held_click_id', BIG_ID, nullable=True),
        sa.Column('held_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_assigned_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reused_count', sa.Integer(), nullable=False),
        sa.CheckConstraint(ONE_ACTIVITY, name=op.f('ck_call_numbers_one_activity')),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_call_numbers_partner_id_partners'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_call_numbers_campaign_id_campaigns'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_call_numbers_webinar_id_webinars'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['mdf_request_id'], ['mdf_requests.id'], name=op.f('fk_call_numbers_mdf_request_id_mdf_requests'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['held_click_id'], ['clicks.id'], name=op.f('fk_call_numbers_held_click_id_clicks'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_call_numbers')),
        sa.UniqueConstraint('number', name=op.f('uq_call_numbers_number')),
    )
    with op.batch_alter_table('call_numbers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_numbers_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_numbers_mdf_request_id'), ['mdf_request_id'], unique=False)
        batch_op.create_index('ix_call_numbers_kind_last_assigned_at', ['kind', 'last_assigned_at'], unique=False)
    op.create_table(
        'calls',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('call_id', sa.String(length=100), nullable=False),
        sa.Column('number_id', sa.Integer(), nullable=True),
        sa.Column('tracking_number', sa.String(length=20), nullable=False),
        sa.Column('caller', sa.String(length=20), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('duration_s', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Boolean(), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=True),
        sa.Column('partner_id', sa.Integer(), nullable=True),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('webinar_id', sa.Integer(), nullable=True),
        sa.Column('link_id', sa.Integer(), nullable=True),
        sa.Column('click_id', BIG_ID, nullable=True),
        sa.Column('credited', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['number_id'], ['call_numbers.id'], name=op.f('fk_calls_number_id_call_numbers'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_calls_lead_id_leads'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_calls_partner_id_partners'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_calls_campaign_id_campaigns'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_calls_webinar_id_webinars'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_calls_link_id_links'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['click_id'], ['clicks.id'], name=op.f('fk_calls_click_id_clicks'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
        sa.UniqueConstraint('call_id', name=op.f('uq_calls_call_id')),
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_number_id'), ['number_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index('ix_calls_started_at', ['started_at'], unique=False)
    _rebuild_checks(added=True)


def downgrade():
    # Calls' conversions and touches, and calls tokens, cannot survive the older schema.
    op.execute("DELETE FROM touchpoints WHERE kind = 'call'")
    op.execute("DELETE FROM conversions WHERE kind = 'call'")
    op.execute("DELETE FROM api_tokens WHERE scope = 'calls'")
    _rebuild_checks(added=False)
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index('ix_calls_started_at')
        batch_op.drop_index(batch_op.f('ix_calls_partner_id'))
        batch_op.drop_index(batch_op.f('ix_calls_lead_id'))
        batch_op.drop_index(batch_op.f('ix_calls_number_id'))
    op.drop_table('calls')
    with op.batch_alter_table('call_numbers', schema=None) as batch_op:
        batch_op.drop_index('ix_call_numbers_kind_last_assigned_at')
        batch_op.drop_index(batch_op.f('ix_call_numbers_mdf_request_id'))
        batch_op.drop_index(batch_op.f('ix_call_numbers_partner_id'))
    op.drop_table('call_numbers')
