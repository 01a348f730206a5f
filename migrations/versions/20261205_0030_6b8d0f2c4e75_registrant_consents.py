"""Registrants' consents to share their contact with each co-host, and co-hosts' follow-ups.

Reviewed by hand (contract §12). ``registrant_consents`` holds one row per registration and
co-host partner the person agreed to share their contact details with: when, to which version
of the wording, and when it was withdrawn (NULL: it stands); co-host lists read it per partner.
``cohost_follow_ups`` records the one follow-up a co-host may send per webinar and audience
(``no_shows`` or ``attendees``; the unique key makes a second press a no-op), with the tracked
link it carried and how many registrants it went to.

Revision ID: 6b8d0f2c4e75
Revises: 5a7c9e1b3d64
Create Date: 2026-12-05 00:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '6b8d0f2c4e75'
down_revision = '5a7c9e1b3d64'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'registrant_consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('wording_version', sa.String(length=20), nullable=False),
        sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_registrant_consents_partner_id_partners'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_registrant_consents_registration_id_registrations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registrant_consents')),
        sa.UniqueConstraint('registration_id', 'partner_id', name=op.f('uq_registrant_consents_registration_id_partner_id')),
    )
    with op.batch_alter_table('registrant_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrant_consents_partner_id'), ['partner_id'], unique=False)

    op.create_table(
        'cohost_follow_ups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('webinar_id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('audience', sa.Enum('no_shows', 'attendees', name='audience', native_enum=False, create_constraint=True, length=17), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=True),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_cohost_follow_ups_link_id_links'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_cohost_follow_ups_partner_id_partners'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_cohost_follow_ups_sent_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_cohost_follow_ups_webinar_id_webinars'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cohost_follow_ups')),
        sa.UniqueConstraint('webinar_id', 'partner_id', 'audience', name=op.f('uq_cohost_follow_ups_webinar_id_partner_id_audience')),
    )
    with op.batch_alter_table('cohost_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohost_follow_ups_partner_id'), ['partner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cohost_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohost_follow_ups_partner_id'))
    op.drop_table('cohost_follow_ups')
    with op.batch_alter_table('registrant_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrant_consents_partner_id'))
    op.drop_table('registrant_consents')
