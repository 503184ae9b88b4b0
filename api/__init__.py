"""The interfaces: the ``cairn`` CLI, the FastAPI service, the web page and the agent tools."""
