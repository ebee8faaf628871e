"""The real hub as a real server process, for tests (the helper itself lives in mcdesk.hub.process)."""

from mcdesk.hub.process import Hub, HubFailed, enrolment_body, hub_env, run_hub_cli, running_hub

__all__ = ["Hub", "HubFailed", "enrolment_body", "hub_env", "run_hub_cli", "running_hub"]
