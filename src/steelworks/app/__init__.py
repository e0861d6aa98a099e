"""The steelworks dashboard (Plotly Dash): Works, Options, Plan, Report; Risk and Runs to come.

``create_app()`` builds the app; ``steelworks app`` serves it. Pages call the public API
(:mod:`steelworks.api`, :mod:`steelworks.report`, the planner) and hold no model logic.
"""

from steelworks.app.factory import create_app

__all__ = ["create_app"]
