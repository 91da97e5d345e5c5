"""The store's tables as the newest migration leaves them (SQLAlchemy Core, portable SQL).

Ids are never reused (``sqlite_autoincrement``): a page open for an erased client must not
reach the next client given the same number.
"""

import sqlalchemy as sa

metadata = sa.MetaData()

cohorts = sa.Table(
    "cohorts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Unique (case-insensitively), checked by the store.
    sa.Column("name", sa.String(200), nullable=False),
    # The exercise ids the cohort works through, as a JSON list.
    sa.Column("exercises", sa.Text, nullable=False),
    sa.Column("min_group", sa.Integer, nullable=False),
    sa.Column("facilitator_key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("join_key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("closed_at", sa.String(40), nullable=True),
    # A cohort on JupyterHub is a hub group (its name); ``None`` for one joined by link.
    sa.Column("hub_group", sa.String(255), nullable=True),
    # How many may join by the cohort's link (0010).
    sa.Column("max_participants", sa.Integer, nullable=False, server_default="100"),
    # How many the facilitator expects, so `serve` has their first pages warm (0011).
    sa.Column("expected", sa.Integer, nullable=False, server_default="0"),
    # The code a room types to join, shown by the presenter view (0012); kept as it is.
    sa.Column("join_code", sa.String(16), nullable=True),
    # The language its participants read the workbook in (0013): a code, or none.
    sa.Column("language", sa.String(8), nullable=True),
    sa.Index("ix_cohorts_hub_group", "hub_group", unique=True),
    sa.Index("ix_cohorts_join_code", "join_code", unique=True),
    sqlite_autoincrement=True,
)

clients = sa.Table(
    "clients",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # A coach's client's name, or a cohort participant's alias (unique within the cohort).
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("revoked_at", sa.String(40), nullable=True),
    # None: a coach's client; otherwise the cohort this participant joined.
    sa.Column(
        "cohort_id", sa.Integer, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=True
    ),
    # Set while the participant shares their summary with the facilitator.
    sa.Column("summary_shared_at", sa.String(40), nullable=True),
    # A participant's alias as readers compare names (case and spacing aside), unique in its
    # cohort; ``None`` for a coach's client or a hub participant (0010).
    sa.Column("name_key", sa.String(200), nullable=True),
    # The language the coach set for this client (0013): a code, or none.
    sa.Column("language", sa.String(8), nullable=True),
    sa.Index("ix_clients_cohort", "cohort_id"),
    sa.Index("ux_clients_cohort_name", "cohort_id", "name", unique=True),
    sa.Index("ux_clients_cohort_alias", "cohort_id", "name_key", unique=True),
    sqlite_autoincrement=True,
)

plans = sa.Table(
    "plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Unique per owner, checked by the store (case-insensitively).
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    # None: the local leader's own plan; otherwise the coach's client who owns it.
    sa.Column(
        "client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=True
    ),
    sa.Index("ix_plans_client", "client_id"),
    sqlite_autoincrement=True,
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column(
        "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("exercise", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    sa.Column("writer", sa.String(64), nullable=False, server_default=""),
    sa.Index("ix_answers_plan_revision", "plan_id", "revision"),
)

team_answers = sa.Table(
    "team_answers",
    metadata,
    # A team member's blind answers to one exercise of the leader's plan (their say, the
    # goal in their words): apart from the leader's answers, so no export or snapshot of the
    # plan holds them (0009). The member is the leader's list entry (``voice/members``).
    sa.Column(
        "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("exercise", sa.String(64), primary_key=True),
    sa.Column("member_id", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("sent_at", sa.String(40), nullable=False),
    # The plan's revision when sent, so the leader's open page notices.
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Index("ix_team_answers_plan_revision", "plan_id", "revision"),
)

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    sa.Column("exercise", sa.String(64), nullable=False),
    sa.Column("taken_at", sa.String(40), nullable=False),
    sa.Column("reason", sa.String(16), nullable=False),
    sa.Column("figures", sa.Text, nullable=False),
    sa.Column("answers", sa.Text, nullable=False),
    sa.Index("ix_snapshots_plan", "plan_id", "exercise", "taken_at"),
    sqlite_autoincrement=True,
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

member_links = sa.Table(
    "member_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    sa.Column("member_id", sa.String(64), nullable=False),
    sa.Column("member_name", sa.String(200), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("revoked_at", sa.String(40), nullable=True),
    # The exercise whose member page the link opens (0008).
    sa.Column("exercise", sa.String(64), nullable=False, server_default="motivators"),
    sa.Index("ix_member_links_plan", "plan_id", "exercise", "member_id"),
    sqlite_autoincrement=True,
)

cohort_reveals = sa.Table(
    "cohort_reveals",
    metadata,
    sa.Column(
        "cohort_id", sa.Integer, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("exercise", sa.String(64), primary_key=True),
    sa.Column("revealed_at", sa.String(40), nullable=False),
)

cohort_values = sa.Table(
    "cohort_values",
    metadata,
    sa.Column(
        "client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("exercise", sa.String(64), primary_key=True),
    sa.Column(
        "cohort_id", sa.Integer, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False
    ),
    # The anonymous measures a hub participant's workbook sent (JSON; numbers and listed
    # categories only, checked on arrival).
    sa.Column("measures", sa.Text, nullable=False),
    sa.Column("sent_at", sa.String(40), nullable=False),
    sa.Index("ix_cohort_values_cohort", "cohort_id", "exercise"),
)

cohort_figures = sa.Table(
    "cohort_figures",
    metadata,
    sa.Column(
        "client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("exercise", sa.String(64), primary_key=True),
    sa.Column("measure", sa.String(64), primary_key=True),
    # The listed item or category ("" for a single number, a flag or "named none").
    sa.Column("item", sa.String(64), primary_key=True),
    sa.Column(
        "cohort_id", sa.Integer, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("value", sa.Float, nullable=False),
    # The tidy rows of the measures in cohort_values, so the database counts the figures.
    sa.Index("ix_cohort_figures_cohort", "cohort_id", "exercise", "measure"),
)

cohort_releases = sa.Table(
    "cohort_releases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "cohort_id", sa.Integer, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("exercise", sa.String(64), nullable=False),
    sa.Column("released_at", sa.String(40), nullable=False),
    # Participant ids whose answers the release was drawn from (JSON list).
    sa.Column("contributors", sa.Text, nullable=False),
    # Each figure shown: its contributors and value, or why it was withheld (JSON).
    sa.Column("cells", sa.Text, nullable=False),
    sqlite_autoincrement=True,
)
