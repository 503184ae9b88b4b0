"""One router per resource of the HTTP API; ``api.app`` mounts them all under ``/api/v1``."""
