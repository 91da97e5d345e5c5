# JupyterHub on one machine with Buy-in Workbook's cohort service.
#
# Every user has their own JupyterLab with the workbook (and their own store, in their home
# folder). The cohort service runs beside the hub, started by it, with its own database:
# participants' workbooks send it only anonymous figures, with the user's own hub token.
# Needs: pip install "buyin-workbook[hub]" in the hub's environment and the users'.
import os

c = get_config()  # noqa: F821

# Each user's server, and each service, on a host of its own (ana.hub.example.org,
# workbook.services... as JupyterHub names them): without it, the cohort service shares an
# origin with every user's JupyterLab, and script in a participant's notebook output that a
# facilitator opens in their own JupyterLab would run on the service's origin. Needs a
# wildcard DNS name and certificate for the host.
c.JupyterHub.subdomain_host = "https://hub.example.org"

# Who may log in: use your organisation's authenticator (OAuthenticator, LDAP, ...).
c.JupyterHub.authenticator_class = "native"
c.Authenticator.admin_users = {"admin"}
c.Authenticator.allow_all = True

# Each course is a hub group whose name starts with "cohort-"; its members are the
# participants. Groups can also be managed in the hub's admin page or its REST API.
c.JupyterHub.load_groups = {
    "cohort-leading-change": {"users": ["ana", "ben", "chen", "dara", "eli", "fay"]},
    "facilitators": {"users": ["sam"]},
}

# The facilitator's scope: of every cohort ("custom:workbook:facilitate"), or of one.
c.JupyterHub.custom_scopes = {
    "custom:workbook:facilitate": {"description": "Facilitate Buy-in Workbook cohorts"},
}
c.JupyterHub.load_roles = [
    {
        "name": "workbook-facilitator",
        "scopes": ["custom:workbook:facilitate!group=cohort-leading-change"],
        "groups": ["facilitators"],
    },
    {
        # Participants and facilitators may reach the service (users hold no service
        # access by default).
        "name": "workbook-user",
        "scopes": ["access:services!service=workbook", "read:services!service=workbook"],
        "groups": ["cohort-leading-change", "facilitators"],
    },
]

# What a user's own server token (and so their kernel) may do: the defaults, plus reaching
# the cohort service and finding it through the hub. A scope the user does not hold is
# simply not granted.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "access:services!service=workbook",
    "read:services!service=workbook",
    "custom:workbook:facilitate",
]

c.JupyterHub.services = [
    {
        "name": "workbook",
        "url": "http://127.0.0.1:10101",
        "command": [
            "jupyter",
            "workbook",
            "cohort-service",
            "--min-group=5",
            "--exercises=choice,selfcheck,motivators,stakeholders",
            # Its limits, at their defaults: how long it trusts the hub's answer about a
            # user, and within how long a take-back is scrubbed from its database's files.
            "--auth-cache-seconds=60",
            "--scrub-within=30",
        ],
        # The service's database: no participant's kernel ever holds this.
        "environment": {
            "BUYIN_WORKBOOK_DB_URL": os.environ.get(
                "BUYIN_WORKBOOK_SERVICE_DB_URL",
                "postgresql+psycopg://workbook@127.0.0.1/workbook_cohorts",
            )
        },
        "oauth_no_confirm": True,
        # A facilitator's browser login carries their facilitator scope to the service.
        "oauth_client_allowed_scopes": ["custom:workbook:facilitate"],
    },
]
