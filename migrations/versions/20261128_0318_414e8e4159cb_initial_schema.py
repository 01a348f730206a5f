"""Initial schema: every domain's tables at once, so later changes add behaviour, not tables.

Reviewed by hand: names follow the metadata naming convention (pk_/fk_/uq_/ix_/ck_), enums
are VARCHAR + CHECK (no native PostgreSQL enums), times are timestamptz (naive UTC on
SQLite), money is NUMERIC(14, 2), and tables are created parents first.

Revision ID: 414e8e4159cb
Revises:
Create Date: 2026-11-28 03:18:17.018668

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '414e8e4159cb'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('crm_destinations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('bitrix24', 'amocrm', 'webhook', name='kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('secret', sa.String(length=1000), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_destinations'))
    )
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('segment', sa.String(length=40), nullable=False),
    sa.Column('tier', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('commission_rate', sa.Numeric(precision=9, scale=6), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('feed_token', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('commission_rate >= 0 AND commission_rate <= 1', name=op.f('ck_partners_commission_rate_share')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('feed_token', name=op.f('uq_partners_feed_token')),
    sa.UniqueConstraint('slug', name=op.f('uq_partners_slug'))
    )
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partners_segment'), ['segment'], unique=False)

    op.create_table('leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('new', 'working', 'customer', 'lost', name='status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('owner_partner_id', sa.Integer(), nullable=True),
    sa.Column('owned_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('protected_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_payment_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('email IS NOT NULL OR phone IS NOT NULL OR erased_at IS NOT NULL', name=op.f('ck_leads_contact')),
    sa.ForeignKeyConstraint(['owner_partner_id'], ['partners.id'], name=op.f('fk_leads_owner_partner_id_partners'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads')),
    sa.UniqueConstraint('email', name=op.f('uq_leads_email')),
    sa.UniqueConstraint('phone', name=op.f('uq_leads_phone'))
    )
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leads_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_first_payment_at'), ['first_payment_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_owner_partner_id'), ['owner_partner_id'], unique=False)

    op.create_table('mdf_budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('tier', sa.String(length=20), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_mdf_budgets_period_in_order')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_mdf_budgets_partner_id_partners'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mdf_budgets'))
    )
    with op.batch_alter_table('mdf_budgets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mdf_budgets_partner_id'), ['partner_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.Enum('admin', 'marketer', 'manager', 'partner', name='role', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role != 'partner' OR partner_id IS NOT NULL", name=op.f('ck_users_partner_has_partner')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_users_partner_id_partners'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_users_session_token'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_partner_id'), ['partner_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('scope', sa.Enum('full', 'intake', name='scope', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('signing_secret', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('landing_hosts', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_campaigns_dates_in_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_campaigns_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    sa.UniqueConstraint('slug', name=op.f('uq_campaigns_slug'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_channel'), ['channel'], unique=False)

    op.create_table('idempotency_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('endpoint', sa.String(length=300), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_records_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_records')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_idempotency_records_user_id_key'))
    )
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_records_created_at'), ['created_at'], unique=False)

    op.create_table('lead_ownerships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Enum('registration', 'rebind', 'reassigned', 'deal_registration', name='reason', native_enum=False, create_constraint=True, length=25), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_lead_ownerships_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_ownerships_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_lead_ownerships_partner_id_partners'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_ownerships'))
    )
    with op.batch_alter_table('lead_ownerships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_ownerships_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_ownerships_partner_id'), ['partner_id'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('channel', sa.Enum('crm', 'email', name='channel', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'delivered', 'dead', 'cancelled', name='status', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['destination_id'], ['crm_destinations.id'], name=op.f('fk_outbox_messages_destination_id_crm_destinations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_outbox_messages_lead_id_leads'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_destination_id'), ['destination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('source', sa.Enum('api', 'import', 'manual', 'demo', name='source', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_payments_lead_id_leads'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('external_id', name=op.f('uq_payments_external_id'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_paid_at'), ['paid_at'], unique=False)

    op.create_table('user_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('invite', 'reset', name='purpose', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_tokens_token_hash'))
    )
    with op.batch_alter_table('user_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('visitors',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_visitors_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visitors'))
    )
    with op.batch_alter_table('visitors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visitors_lead_id'), ['lead_id'], unique=False)

    op.create_table('campaign_partners',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('cost_share', sa.Numeric(precision=9, scale=6), nullable=False),
    sa.CheckConstraint('cost_share >= 0 AND cost_share <= 1', name=op.f('ck_campaign_partners_share')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_partners_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_campaign_partners_partner_id_partners'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('campaign_id', 'partner_id', name=op.f('pk_campaign_partners'))
    )
    with op.batch_alter_table('campaign_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_partners_partner_id'), ['partner_id'], unique=False)

    op.create_table('commissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('rate', sa.Numeric(precision=9, scale=6), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'paid', 'reversed', name='status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_commissions_lead_id_leads'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_commissions_partner_id_partners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_commissions_payment_id_payments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reverses_id'], ['commissions.id'], name=op.f('fk_commissions_reverses_id_commissions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissions'))
    )
    with op.batch_alter_table('commissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commissions_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index('ix_commissions_partner_id_created_at', ['partner_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissions_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissions_status'), ['status'], unique=False)

    op.create_table('mdf_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=True),
    sa.Column('activity', sa.String(length=300), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('planned_cost', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('requested_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('planned_leads', sa.Integer(), nullable=False),
    sa.Column('landing_url', sa.String(length=2048), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'returned', 'rejected', 'approved', 'claimed', 'reimbursed', name='status', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('approved_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_mdf_requests_dates_in_order')),
    sa.ForeignKeyConstraint(['budget_id'], ['mdf_budgets.id'], name=op.f('fk_mdf_requests_budget_id_mdf_budgets'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_mdf_requests_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_mdf_requests_partner_id_partners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_mdf_requests_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mdf_requests'))
    )
    with op.batch_alter_table('mdf_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mdf_requests_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mdf_requests_status'), ['status'], unique=False)

    op.create_table('webinars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('join_url', sa.String(length=2048), nullable=True),
    sa.Column('recording_url', sa.String(length=2048), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='status', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_webinars_positive_capacity')),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_webinars_positive_duration')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_webinars_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_webinars_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webinars')),
    sa.UniqueConstraint('slug', name=op.f('uq_webinars_slug'))
    )
    with op.batch_alter_table('webinars', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webinars_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webinars_starts_at'), ['starts_at'], unique=False)

    op.create_table('links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('webinar_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('destination_url', sa.String(length=2048), nullable=False),
    sa.Column('tagged_url', sa.String(length=4096), nullable=False),
    sa.Column('utm_source', sa.String(length=100), nullable=False),
    sa.Column('utm_medium', sa.String(length=40), nullable=False),
    sa.Column('utm_campaign', sa.String(length=100), nullable=False),
    sa.Column('utm_content', sa.String(length=100), nullable=True),
    sa.Column('utm_term', sa.String(length=100), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(campaign_id IS NULL) <> (webinar_id IS NULL)', name=op.f('ck_links_campaign_xor_webinar')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_links_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_links_partner_id_partners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_links_webinar_id_webinars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_links')),
    sa.UniqueConstraint('code', name=op.f('uq_links_code'))
    )
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_links_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_links_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_links_webinar_id'), ['webinar_id'], unique=False)

    op.create_table('mdf_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('approve', 'reject', 'return', name='decision', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('approved_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_mdf_decisions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['mdf_requests.id'], name=op.f('fk_mdf_decisions_request_id_mdf_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mdf_decisions'))
    )
    with op.batch_alter_table('mdf_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mdf_decisions_request_id'), ['request_id'], unique=False)

    op.create_table('spend',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('paid_by', sa.Enum('vendor', 'partner', name='paid_by', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('webinar_id', sa.Integer(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('source', sa.Enum('manual', 'api', 'import', 'mdf', 'demo', name='source', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(campaign_id IS NULL) <> (webinar_id IS NULL)', name=op.f('ck_spend_campaign_xor_webinar')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_spend_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_spend_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_spend_partner_id_partners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_spend_webinar_id_webinars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spend'))
    )
    with op.batch_alter_table('spend', schema=None) as batch_op:
        batch_op.create_index('ix_spend_campaign_id_spent_on', ['campaign_id', 'spent_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_spend_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spend_spent_on'), ['spent_on'], unique=False)
        batch_op.create_index('ix_spend_webinar_id_spent_on', ['webinar_id', 'spent_on'], unique=False)

    op.create_table('webinar_hosts',
    sa.Column('webinar_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_webinar_hosts_partner_id_partners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_webinar_hosts_webinar_id_webinars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('webinar_id', 'partner_id', name=op.f('pk_webinar_hosts'))
    )
    with op.batch_alter_table('webinar_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webinar_hosts_partner_id'), ['partner_id'], unique=False)

    op.create_table('clicks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('clicked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('visitor_id', sa.String(length=32), nullable=False),
    sa.Column('is_bot', sa.Boolean(), nullable=False),
    sa.Column('via_qr', sa.Boolean(), nullable=False),
    sa.Column('ip_hash', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=512), nullable=True),
    sa.Column('referrer', sa.String(length=1024), nullable=True),
    sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_clicks_link_id_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clicks'))
    )
    with op.batch_alter_table('clicks', schema=None) as batch_op:
        batch_op.create_index('ix_clicks_clicked_at', ['clicked_at'], unique=False)
        batch_op.create_index('ix_clicks_link_id_clicked_at', ['link_id', 'clicked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clicks_visitor_id'), ['visitor_id'], unique=False)

    op.create_table('mdf_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('actual_cost', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('clicks', sa.Integer(), nullable=False),
    sa.Column('leads', sa.Integer(), nullable=False),
    sa.Column('cpl', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reimbursed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reimbursed_by_id', sa.Integer(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('spend_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reimbursed_by_id'], ['users.id'], name=op.f('fk_mdf_claims_reimbursed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['mdf_requests.id'], name=op.f('fk_mdf_claims_request_id_mdf_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['spend_id'], ['spend.id'], name=op.f('fk_mdf_claims_spend_id_spend'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_mdf_claims_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mdf_claims')),
    sa.UniqueConstraint('request_id', name=op.f('uq_mdf_claims_request_id'))
    )
    op.create_table('conversions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('form', 'api', 'import', 'registration', 'deal_registration', name='kind', native_enum=False, create_constraint=True, length=25), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('utm_source', sa.String(length=200), nullable=True),
    sa.Column('utm_medium', sa.String(length=200), nullable=True),
    sa.Column('utm_campaign', sa.String(length=200), nullable=True),
    sa.Column('utm_content', sa.String(length=200), nullable=True),
    sa.Column('utm_term', sa.String(length=200), nullable=True),
    sa.Column('cmclid', sa.String(length=64), nullable=True),
    sa.Column('click_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('webinar_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_conversions_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['click_id'], ['clicks.id'], name=op.f('fk_conversions_click_id_clicks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_conversions_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_conversions_partner_id_partners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_conversions_webinar_id_webinars'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversions'))
    )
    with op.batch_alter_table('conversions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversions_click_id'), ['click_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversions_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversions_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversions_partner_id'), ['partner_id'], unique=False)

    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webinar_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('click_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('attended_minutes', sa.Integer(), nullable=True),
    sa.Column('attendance_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['click_id'], ['clicks.id'], name=op.f('fk_registrations_click_id_clicks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_registrations_lead_id_leads'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_registrations_link_id_links'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_registrations_partner_id_partners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_registrations_webinar_id_webinars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('webinar_id', 'email', name=op.f('uq_registrations_webinar_id_email'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_registered_at'), ['registered_at'], unique=False)

    op.create_table('ownership_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('owner_partner_id', sa.Integer(), nullable=False),
    sa.Column('claimant_partner_id', sa.Integer(), nullable=False),
    sa.Column('conversion_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('open', 'kept', 'reassigned', name='status', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['claimant_partner_id'], ['partners.id'], name=op.f('fk_ownership_conflicts_claimant_partner_id_partners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['conversion_id'], ['conversions.id'], name=op.f('fk_ownership_conflicts_conversion_id_conversions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_ownership_conflicts_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_partner_id'], ['partners.id'], name=op.f('fk_ownership_conflicts_owner_partner_id_partners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_ownership_conflicts_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ownership_conflicts'))
    )
    with op.batch_alter_table('ownership_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ownership_conflicts_claimant_partner_id'), ['claimant_partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ownership_conflicts_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ownership_conflicts_owner_partner_id'), ['owner_partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ownership_conflicts_status'), ['status'], unique=False)

    op.create_table('touchpoints',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('kind', sa.Enum('click', 'registration', 'attendance', 'offline', 'utm', 'deal_registration', name='kind', native_enum=False, create_constraint=True, length=25), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('webinar_id', sa.Integer(), nullable=True),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('click_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_touchpoints_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['click_id'], ['clicks.id'], name=op.f('fk_touchpoints_click_id_clicks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_touchpoints_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_touchpoints_link_id_links'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_touchpoints_partner_id_partners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_touchpoints_registration_id_registrations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_touchpoints_webinar_id_webinars'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_touchpoints')),
    sa.UniqueConstraint('lead_id', 'click_id', name=op.f('uq_touchpoints_lead_id_click_id'))
    )
    with op.batch_alter_table('touchpoints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_touchpoints_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_touchpoints_email'), ['email'], unique=False)
        batch_op.create_index('ix_touchpoints_lead_id_occurred_at', ['lead_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_touchpoints_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_touchpoints_webinar_id'), ['webinar_id'], unique=False)

    op.create_table('attribution_credits',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.Enum('first_touch', 'last_touch', 'linear', 'time_decay', 'position_based', name='model', native_enum=False, create_constraint=True, length=22), nullable=False),
    sa.Column('touchpoint_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('webinar_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('segment', sa.String(length=40), nullable=True),
    sa.Column('credit', sa.Numeric(precision=12, scale=10), nullable=False),
    sa.Column('lead_created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_attribution_credits_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_attribution_credits_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_attribution_credits_partner_id_partners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['touchpoint_id'], ['touchpoints.id'], name=op.f('fk_attribution_credits_touchpoint_id_touchpoints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_attribution_credits_webinar_id_webinars'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attribution_credits'))
    )
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.create_index('ix_attribution_credits_model_lead_created_at', ['model', 'lead_created_at'], unique=False)
        batch_op.create_index('ix_attribution_credits_model_lead_id', ['model', 'lead_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.drop_index('ix_attribution_credits_model_lead_id')
        batch_op.drop_index('ix_attribution_credits_model_lead_created_at')

    op.drop_table('attribution_credits')
    with op.batch_alter_table('touchpoints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_touchpoints_webinar_id'))
        batch_op.drop_index(batch_op.f('ix_touchpoints_partner_id'))
        batch_op.drop_index('ix_touchpoints_lead_id_occurred_at')
        batch_op.drop_index(batch_op.f('ix_touchpoints_email'))
        batch_op.drop_index(batch_op.f('ix_touchpoints_campaign_id'))

    op.drop_table('touchpoints')
    with op.batch_alter_table('ownership_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ownership_conflicts_status'))
        batch_op.drop_index(batch_op.f('ix_ownership_conflicts_owner_partner_id'))
        batch_op.drop_index(batch_op.f('ix_ownership_conflicts_lead_id'))
        batch_op.drop_index(batch_op.f('ix_ownership_conflicts_claimant_partner_id'))

    op.drop_table('ownership_conflicts')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrations_registered_at'))
        batch_op.drop_index(batch_op.f('ix_registrations_partner_id'))
        batch_op.drop_index(batch_op.f('ix_registrations_lead_id'))

    op.drop_table('registrations')
    with op.batch_alter_table('conversions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversions_partner_id'))
        batch_op.drop_index(batch_op.f('ix_conversions_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_conversions_lead_id'))
        batch_op.drop_index(batch_op.f('ix_conversions_click_id'))

    op.drop_table('conversions')
    op.drop_table('mdf_claims')
    with op.batch_alter_table('clicks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clicks_visitor_id'))
        batch_op.drop_index('ix_clicks_link_id_clicked_at')
        batch_op.drop_index('ix_clicks_clicked_at')

    op.drop_table('clicks')
    with op.batch_alter_table('webinar_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webinar_hosts_partner_id'))

    op.drop_table('webinar_hosts')
    with op.batch_alter_table('spend', schema=None) as batch_op:
        batch_op.drop_index('ix_spend_webinar_id_spent_on')
        batch_op.drop_index(batch_op.f('ix_spend_spent_on'))
        batch_op.drop_index(batch_op.f('ix_spend_partner_id'))
        batch_op.drop_index('ix_spend_campaign_id_spent_on')

    op.drop_table('spend')
    with op.batch_alter_table('mdf_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mdf_decisions_request_id'))

    op.drop_table('mdf_decisions')
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_links_webinar_id'))
        batch_op.drop_index(batch_op.f('ix_links_partner_id'))
        batch_op.drop_index(batch_op.f('ix_links_campaign_id'))

    op.drop_table('links')
    with op.batch_alter_table('webinars', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webinars_starts_at'))
        batch_op.drop_index(batch_op.f('ix_webinars_campaign_id'))

    op.drop_table('webinars')
    with op.batch_alter_table('mdf_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mdf_requests_status'))
        batch_op.drop_index(batch_op.f('ix_mdf_requests_partner_id'))

    op.drop_table('mdf_requests')
    with op.batch_alter_table('commissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commissions_status'))
        batch_op.drop_index(batch_op.f('ix_commissions_payment_id'))
        batch_op.drop_index('ix_commissions_partner_id_created_at')
        batch_op.drop_index(batch_op.f('ix_commissions_lead_id'))

    op.drop_table('commissions')
    with op.batch_alter_table('campaign_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_partners_partner_id'))

    op.drop_table('campaign_partners')
    with op.batch_alter_table('visitors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visitors_lead_id'))

    op.drop_table('visitors')
    with op.batch_alter_table('user_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_tokens_user_id'))

    op.drop_table('user_tokens')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_paid_at'))
        batch_op.drop_index(batch_op.f('ix_payments_lead_id'))

    op.drop_table('payments')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_lead_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_destination_id'))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('lead_ownerships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_ownerships_partner_id'))
        batch_op.drop_index(batch_op.f('ix_lead_ownerships_lead_id'))

    op.drop_table('lead_ownerships')
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_records_created_at'))

    op.drop_table('idempotency_records')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_channel'))

    op.drop_table('campaigns')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_partner_id'))

    op.drop_table('users')
    with op.batch_alter_table('mdf_budgets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mdf_budgets_partner_id'))

    op.drop_table('mdf_budgets')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leads_owner_partner_id'))
        batch_op.drop_index(batch_op.f('ix_leads_first_payment_at'))
        batch_op.drop_index(batch_op.f('ix_leads_created_at'))

    op.drop_table('leads')
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partners_segment'))

    op.drop_table('partners')
    op.drop_table('crm_destinations')
