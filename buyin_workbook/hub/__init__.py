"""Cohorts on JupyterHub.

Each participant works in their own JupyterLab on the hub, with their own store; the shared
part is a hub-managed service (``jupyter workbook cohort-service``, :mod:`.service`) in front
of the service's own database. A participant's workbook sends it only the anonymous measures
of the exercises they finish, with their own hub token
(:mod:`buyin_workbook.use_cases.hub_cohort`), and reads back what
the facilitator has revealed; facilitators hold the service's facilitator scope.
"""
