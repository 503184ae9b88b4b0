"""CLI command groups; each module defines ``register(app)``.

A command module is imported whenever the CLI starts (even for ``--help``), so at
module level it imports only ``api.params``, ``api.common``, ``api.formats``
and the light renderers (``api.render.console``, ``terminal``); everything a
command runs — services, renderers of analysis results, rich's progress bar —
is imported inside the command function.
"""
