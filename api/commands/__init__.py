"""CLI command groups; each module defines ``register(app)``.

A command module is imported whenever the CLI starts (even for ``--help``), so at
module level it imports only typer, rich's markup, ``api.common``, ``api.formats``
and ``api.render.terminal``; everything a command runs — services, renderers of
analysis results, rich's tables — is imported inside the command function.
"""
