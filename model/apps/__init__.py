"""Applications: the ``feasibility`` command line (``model.apps.cli.main``) and the planners' dashboard.

Nothing is imported here, so that ``python -m model.apps.cli`` runs the module once and the
dashboard's widgets load only when asked for."""

__all__ = ["batch", "bridge_cli", "cli", "controls", "dashboard", "inputs_cli", "voila_server"]
